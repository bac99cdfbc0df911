import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { classifyRemote, type RemoteEndpointSpec } from "../../../src/serving/remote/remote-client";
import { remoteDispatcher } from "../../../src/serving/remote/remote-dispatcher";
import { RemoteGuard } from "../../../src/serving/remote/remote-guard";
import type { AppError } from "../../../src/errors";
import { FakeRemote, hang, held, json } from "./fake-remote";

const PNG = Buffer.from("89504e470d0a1a0a", "hex");
const OK = json({ predictions: [{ label: "red", score: 1 }] });
const BREAKER = { failures: 3, halfOpenAfterMs: 30_000 };
let remote: FakeRemote;
let endpoint: RemoteEndpointSpec;
const dispatcher = remoteDispatcher(true);

beforeAll(async () => {
  remote = await FakeRemote.start();
  endpoint = { url: remote.url, remoteModel: "m", labels: ["red"], timeoutMs: 2_000, secret: null };
});
afterAll(() => remote.stop());
afterEach(() => vi.useRealTimers());

function guarded(rates = { perMinute: null as number | null, perHour: null as number | null }) {
  const guard = new RemoteGuard(remote.host, rates, BREAKER);
  return {
    guard,
    call: (signal?: AbortSignal) =>
      guard.call((own) => classifyRemote(endpoint, PNG, dispatcher, own), signal),
  };
}

/** Opens the circuit with failing calls, then lets its wait pass: the next call is the trial. */
async function openThenWait({ guard, call }: ReturnType<typeof guarded>) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-07T10:00:00Z") });
  remote.answer([], json({ error: "down" }, 500));
  for (let i = 0; i < BREAKER.failures; i++) await refusal(call());
  expect(guard.circuit).toBe("OPEN");
  vi.setSystemTime(Date.now() + BREAKER.halfOpenAfterMs + 1);
}

/** The error code and reason of a refused call. */
async function refusal(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => expect.fail("expected a refusal"),
    (e: unknown) => e,
  )) as AppError;
  return { code: error.code, ...error.details };
}

describe("RemoteGuard", () => {
  it("opens after consecutive 500s, refuses without calling, then closes after a good half-open trial", async () => {
    // Only Date is faked: cockatiel times the open circuit with Date.now; sockets run for real.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-07T10:00:00Z") });
    const { guard, call } = guarded();
    remote.answer([], json({ error: "down" }, 500));
    const before = remote.calls.length;
    for (let i = 0; i < BREAKER.failures; i++) {
      expect(await refusal(call())).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "REMOTE_ERROR" });
    }
    expect(guard.circuit).toBe("OPEN");
    expect(await refusal(call())).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "CIRCUIT_OPEN" });
    expect(remote.calls.length - before).toBe(BREAKER.failures);

    vi.setSystemTime(Date.now() + BREAKER.halfOpenAfterMs + 1);
    // A failing trial opens it again at once.
    expect(await refusal(call())).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "REMOTE_ERROR" });
    expect(await refusal(call())).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "CIRCUIT_OPEN" });
    expect(remote.calls.length - before).toBe(BREAKER.failures + 1);

    vi.setSystemTime(Date.now() + BREAKER.halfOpenAfterMs + 1);
    remote.answer([], OK);
    expect(await call()).toEqual([{ label: "red", score: 1 }]);
    expect(guard.circuit).toBe("CLOSED");
    expect(await call()).toEqual([{ label: "red", score: 1 }]);
  });

  it("keeps the circuit closed through 4xx answers", async () => {
    const { guard, call } = guarded();
    remote.answer([], json({ error: "bad request" }, 400));
    const before = remote.calls.length;
    for (let i = 0; i < BREAKER.failures + 2; i++) {
      expect(await refusal(call())).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "REMOTE_ERROR" });
    }
    expect(remote.calls.length - before).toBe(BREAKER.failures + 2);
    expect(guard.circuit).toBe("CLOSED");
  });

  it("makes no call until a 429's Retry-After has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-07T10:00:00Z") });
    const { guard, call } = guarded();
    remote.answer([json({}, 429, { "retry-after": "30" })], OK);
    const before = remote.calls.length;
    expect(await refusal(call())).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: 30 });
    vi.setSystemTime(Date.now() + 10_000);
    expect(await refusal(call())).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: 20 });
    expect(guard.retryAfter?.toISOString()).toBe("2026-12-07T10:00:30.000Z");
    expect(remote.calls.length - before).toBe(1);
    expect(guard.circuit).toBe("CLOSED");

    vi.setSystemTime(Date.parse("2026-12-07T10:00:30Z"));
    expect(await call()).toEqual([{ label: "red", score: 1 }]);
    expect(guard.retryAfter).toBeNull();
  });

  it("spends a token per call: perMinute, within perHour", async () => {
    remote.answer([], OK);
    const perMinute = guarded({ perMinute: 2, perHour: 100 });
    await perMinute.call();
    await perMinute.call();
    expect(await refusal(perMinute.call())).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: 30 });

    const perHour = guarded({ perMinute: 100, perHour: 1 });
    await perHour.call();
    expect(await refusal(perHour.call())).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: 3600 });
  });

  it("keeps the circuit open when the caller aborts the half-open trial", async () => {
    const probe = guarded();
    await openThenWait(probe);
    const before = remote.calls.length;
    const trialReply = held(hang);
    remote.answer([trialReply.reply], OK);
    const controller = new AbortController();
    const trial = probe.call(controller.signal);
    await trialReply.arrived;
    controller.abort(new Error("member deadline"));
    expect(
      (
        (await trial.then(
          () => expect.fail("expected the abort"),
          (e: unknown) => e,
        )) as Error
      ).message,
    ).toBe("member deadline");
    expect(probe.guard.circuit).toBe("OPEN");
    expect(await refusal(probe.call())).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "CIRCUIT_OPEN" });
    expect(remote.calls.length - before).toBe(1);
  });

  it("refuses other calls while the half-open trial runs, spending no tokens on them", async () => {
    // perHour only: limiter refills on the real clock, so a bucket of 5 stays at what was spent.
    const probe = guarded({ perMinute: null, perHour: BREAKER.failures + 2 });
    await openThenWait(probe);
    const before = remote.calls.length;
    const trialReply = held(OK);
    remote.answer([trialReply.reply], OK);
    const trial = probe.call();
    await trialReply.arrived;
    expect(probe.guard.circuit).toBe("HALF_OPEN");
    for (let i = 0; i < 3; i++) {
      expect(await refusal(probe.call())).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "CIRCUIT_OPEN" });
    }
    trialReply.release();
    expect(await trial).toEqual([{ label: "red", score: 1 }]);
    expect(probe.guard.circuit).toBe("CLOSED");
    // The trial took the fourth token; the refused calls took none, so one is left.
    expect(await probe.call()).toEqual([{ label: "red", score: 1 }]);
    expect(await refusal(probe.call())).toMatchObject({ code: "RATE_LIMITED" });
    expect(remote.calls.length - before).toBe(2);
  });

  it("closes the circuit when the trial gets a 4xx: the endpoint answered", async () => {
    const probe = guarded();
    await openThenWait(probe);
    remote.answer([json({ error: "bad image" }, 400)], OK);
    expect(await refusal(probe.call())).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "REMOTE_ERROR" });
    expect(probe.guard.circuit).toBe("CLOSED");
    expect(await probe.call()).toEqual([{ label: "red", score: 1 }]);
  });
});
