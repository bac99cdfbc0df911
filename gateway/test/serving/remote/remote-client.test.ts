import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classifyRemote,
  parsePredictions,
  retryAfter,
  type RemoteEndpointSpec,
} from "../../../src/serving/remote/remote-client";
import { RemoteCallError, RemoteRateLimitedError } from "../../../src/serving/remote/remote-errors";
import { remoteDispatcher } from "../../../src/serving/remote/remote-dispatcher";
import { alignedScores } from "../../../src/serving/remote/remote-scores";
import { limits } from "../../../src/limits";
import { FakeRemote, hang, json } from "./fake-remote";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
let remote: FakeRemote;
let endpoint: RemoteEndpointSpec;
// The fake endpoint is on loopback: these calls run with the operator's consent to internal addresses.
const dispatcher = remoteDispatcher(true);

beforeAll(async () => {
  remote = await FakeRemote.start();
  endpoint = {
    url: `${remote.url}/v1`,
    remoteModel: "colours-large",
    labels: ["red", "green", "blue"],
    timeoutMs: 2_000,
    secret: "s3cret-token",
  };
});
afterAll(() => remote.stop());

/** The error a call throws (fails the test if it answers). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.fail(`expected a failure, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

describe("classifyRemote", () => {
  it("POSTs the contract's body with the secret as a bearer token and returns the predictions", async () => {
    remote.answer([
      json({
        predictions: [
          { label: "red", score: 0.75 },
          { label: "blue", score: 0.25 },
        ],
      }),
    ]);
    const before = remote.calls.length;
    const predictions = await classifyRemote(endpoint, PNG, dispatcher);
    expect(predictions).toEqual([
      { label: "red", score: 0.75 },
      { label: "blue", score: 0.25 },
    ]);
    const call = remote.calls[before]!;
    expect(call.path).toBe("/v1/classify");
    expect(call.authorization).toBe("Bearer s3cret-token");
    expect(call.body).toEqual({
      model: "colours-large",
      image: `data:image/png;base64,${PNG.toString("base64")}`,
      labels: ["red", "green", "blue"],
      top_k: 3,
    });
  });

  it("sends no Authorization header without a secret", async () => {
    remote.answer([json({ predictions: [] })]);
    const before = remote.calls.length;
    await classifyRemote({ ...endpoint, secret: null }, PNG, dispatcher);
    expect(remote.calls[before]!.authorization).toBeUndefined();
  });

  it("turns a 429 into RATE_LIMITED until the Retry-After time", async () => {
    remote.answer([json({ error: "slow down" }, 429, { "retry-after": "7" })]);
    const started = Date.now();
    const error = await failure(classifyRemote(endpoint, PNG, dispatcher));
    expect(error).toBeInstanceOf(RemoteRateLimitedError);
    const limited = error as RemoteRateLimitedError;
    expect(limited.code).toBe("RATE_LIMITED");
    expect(limited.details.retryAfterSeconds).toBe(7);
    expect(+limited.until - started).toBeGreaterThanOrEqual(7_000);
    expect(+limited.until - Date.now()).toBeLessThanOrEqual(7_000);
  });

  it("answers TIMEOUT when the endpoint does not answer within timeoutMs, and it trips the breaker", async () => {
    remote.answer([hang]);
    const error = (await failure(
      classifyRemote({ ...endpoint, timeoutMs: 100 }, PNG, dispatcher),
    )) as RemoteCallError;
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.details).toEqual({ reason: "TIMEOUT" });
    expect(error.tripsBreaker).toBe(true);
  });

  it("rethrows the caller's abort rather than a timeout", async () => {
    remote.answer([hang]);
    const controller = new AbortController();
    const call = classifyRemote({ ...endpoint, timeoutMs: 5_000 }, PNG, dispatcher, controller.signal);
    controller.abort(new Error("member deadline"));
    expect(((await failure(call)) as Error).message).toBe("member deadline");
  });

  it.each([
    ["a 500", json({ error: "boom" }, 500), "REMOTE_ERROR", true],
    ["a 400", json({ error: "bad image" }, 400), "REMOTE_ERROR", false],
    ["a 401", json({ error: "who are you" }, 401), "REMOTE_ERROR", false],
    ["malformed JSON", json("{predictions: [", 200), "BAD_RESPONSE", true],
    ["no predictions array", json({ labels: [] }), "BAD_RESPONSE", true],
    ["a score above 1", json({ predictions: [{ label: "red", score: 1.5 }] }), "BAD_RESPONSE", true],
    ["a redirect", json({}, 302, { location: "http://example.com/" }), "REMOTE_ERROR", true],
  ])("maps %s to SERVICE_UNAVAILABLE %s (trips the breaker: %s)", async (_, reply, reason, trips) => {
    remote.answer([reply]);
    const error = (await failure(classifyRemote(endpoint, PNG, dispatcher))) as RemoteCallError;
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error.details).toEqual({ reason });
    expect(error.tripsBreaker).toBe(trips);
    expect(error.message).not.toContain("s3cret");
  });

  it("refuses an answer larger than the bound without reading it all", async () => {
    const big = "x".repeat(limits.serving.remote.responseBytes + 1);
    remote.answer([json({ predictions: [], padding: big })]);
    const error = (await failure(classifyRemote(endpoint, PNG, dispatcher))) as RemoteCallError;
    expect(error.details).toEqual({ reason: "BAD_RESPONSE" });
    expect(error.message).toContain(`larger than ${limits.serving.remote.responseBytes} bytes`);
  });

  it("answers REMOTE_ERROR when nothing listens", async () => {
    const closed = await FakeRemote.start();
    await closed.stop();
    const error = (await failure(
      classifyRemote({ ...endpoint, url: closed.url }, PNG, dispatcher),
    )) as RemoteCallError;
    expect(error.details).toEqual({ reason: "REMOTE_ERROR" });
    expect(error.message).toBe(`Could not reach ${closed.host}: ECONNREFUSED`);
  });
});

describe("the address guard", () => {
  const guarded = remoteDispatcher(false);

  it.each([
    ["an internal IP literal", () => remote.url, "127.0.0.1"],
    // Resolved only when the socket connects, by the guarded lookup: no second resolution to rebind.
    ["a name that resolves to loopback", () => remote.url.replace("127.0.0.1", "localhost"), "localhost"],
  ])("refuses %s with FORBIDDEN without calling it", async (_, url, shown) => {
    const before = remote.calls.length;
    const error = (await failure(
      classifyRemote({ ...endpoint, url: url() }, PNG, guarded),
    )) as RemoteCallError;
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toContain(`Refusing to connect to ${shown}`);
    expect(remote.calls.length).toBe(before);
  });
});

describe("answers and headers", () => {
  it("refuses a label given twice", () => {
    const body = Buffer.from(
      JSON.stringify({
        predictions: [
          { label: "a", score: 0.1 },
          { label: "a", score: 0.2 },
        ],
      }),
    );
    expect(() => parsePredictions(body, "h")).toThrow('h sent an invalid answer: label "a" appears twice');
  });

  it("reads Retry-After as seconds or an HTTP date, with a default and a ceiling", () => {
    const now = Date.parse("2026-12-07T10:00:00Z");
    expect(retryAfter("120", now).toISOString()).toBe("2026-12-07T10:02:00.000Z");
    expect(retryAfter("Mon, 07 Dec 2026 10:00:30 GMT", now).toISOString()).toBe("2026-12-07T10:00:30.000Z");
    expect(retryAfter(null, now).toISOString()).toBe("2026-12-07T10:00:01.000Z");
    expect(retryAfter("soon", now).toISOString()).toBe("2026-12-07T10:00:01.000Z");
    expect(retryAfter("99999999", now).toISOString()).toBe("2026-12-08T10:00:00.000Z");
  });

  it("aligns scores to the registered labels: missing ones get 0, unknown ones are dropped", () => {
    const rows = alignedScores(
      ["red", "green", "blue"],
      [
        { label: "blue", score: 0.6 },
        { label: "purple", score: 0.3 },
        { label: "red", score: 0.1 },
      ],
    );
    expect(rows).toEqual([
      { label: "blue", score: 0.6, index: 2 },
      { label: "red", score: 0.1, index: 0 },
      { label: "green", score: 0, index: 1 },
    ]);
  });
});
