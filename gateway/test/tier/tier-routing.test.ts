import * as grpc from "@grpc/grpc-js";
import type { StatusResponse } from "@tessera/proto/generated/tessera/tier/v1/StatusResponse";
import { loadKServe } from "@tessera/proto/kserve";
import { loadTier, tierErrorTrailer } from "@tessera/proto/tier";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger";
import { rankTiers } from "../../src/tier/placement";
import { TierClient } from "../../src/tier/tier-client";

const logger = createLogger({ level: "silent" });

/**
 * A gRPC server standing in for a tier: its Status says what the test sets, and ModelInfer answers
 * with the tier's name for the models it holds (NOT_FOUND otherwise). Real gRPC, so the client's
 * routing, failover and accounting run exactly as against a tier process, with loads the test picks.
 */
class FakeTier {
  readonly server = new grpc.Server();
  address = "";
  /** What Status reports: the load and the models in it. */
  report: { inFlight: number; models: string[] } = { inFlight: 0, models: [] };
  /** Models ModelInfer answers for (what the tier really holds, whatever it reported). */
  holds = new Set<string>();
  /** Models it answers UNAVAILABLE for, as a tier does while a version loads. */
  loading = new Set<string>();
  /** Models it answers UNAVAILABLE for without the tier's trailer: to the client, a failed connection. */
  dropping = new Set<string>();
  /** Calls that wait for `release()` before answering. */
  private held: Array<() => void> = [];
  holding = false;

  constructor(
    readonly name: string,
    withStatus = true,
  ) {
    const kserve = loadKServe().GRPCInferenceService.service;
    this.server.addService(kserve, {
      ServerReady: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, { ready: true }),
      ModelInfer: (
        call: grpc.ServerUnaryCall<{ model_name: string }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        const answer = () => {
          if (this.dropping.has(call.request.model_name)) {
            return callback({ code: grpc.status.UNAVAILABLE, details: "Connection dropped" });
          }
          if (this.loading.has(call.request.model_name)) {
            const metadata = new grpc.Metadata();
            metadata.set(tierErrorTrailer, "UNAVAILABLE");
            return callback({
              code: grpc.status.UNAVAILABLE,
              details: `model "${call.request.model_name}" version 1 is loading`,
              metadata,
            });
          }
          if (!this.holds.has(call.request.model_name)) {
            return callback({
              code: grpc.status.NOT_FOUND,
              details: `model "${call.request.model_name}" is not loaded`,
            });
          }
          callback(null, { model_name: call.request.model_name, id: this.name });
        };
        if (this.holding) this.held.push(answer);
        else answer();
      },
    } as grpc.UntypedServiceImplementation);
    if (withStatus) {
      this.server.addService(loadTier().TierService.service, {
        Status: (_call: unknown, callback: grpc.sendUnaryData<StatusResponse>) =>
          callback(null, {
            ready: true,
            in_flight: this.report.inFlight,
            models: this.report.models.map((name) => ({ name, version: "1", state: "ready" })),
            device: "cpu",
            execution_providers: ["cpu"],
          }),
      });
    }
  }

  async start(): Promise<void> {
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.address = `127.0.0.1:${port}`;
  }

  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }
}

function infer(client: TierClient, model: string): Promise<string> {
  return client
    .kserve("ModelInfer", { model_name: model, inputs: [] }, { deadlineMs: 5_000 })
    .then((response) => response.id);
}

describe("TierClient routing by the tiers' Status reports", () => {
  const a = new FakeTier("a");
  const b = new FakeTier("b");
  const old = new FakeTier("old", false);
  let client: TierClient | undefined;

  beforeAll(async () => {
    await Promise.all([a.start(), b.start(), old.start()]);
  });

  afterEach(() => {
    client?.close();
    for (const tier of [a, b, old]) {
      tier.report = { inFlight: 0, models: [] };
      tier.holds.clear();
      tier.loading.clear();
      tier.dropping.clear();
      tier.release();
    }
  });

  afterAll(() => {
    for (const tier of [a, b, old]) tier.server.forceShutdown();
  });

  /** A client that hears every tier's report before the test's first call (and no later one unless asked). */
  async function clientOver(...tiers: FakeTier[]): Promise<TierClient> {
    client = new TierClient({
      urls: tiers.map((tier) => tier.address),
      logger,
      probeIntervalMs: 600_000,
      probeTimeoutMs: 5_000,
    });
    expect(await client.ready()).toEqual({ ready: true });
    return client;
  }

  it("sends a model call to the tier that holds the model, even when it is the busier one", async () => {
    a.report = { inFlight: 5, models: ["m"] };
    a.holds.add("m");
    b.report = { inFlight: 0, models: ["other"] };
    const tiers = await clientOver(a, b);
    expect(await infer(tiers, "m")).toBe("a");
    expect(tiers.status().map((tier) => tier.answered)).toEqual([1, 0]);
  });

  it("sends it to the least-loaded of the tiers that hold it, counting its own calls since the report", async () => {
    a.report = { inFlight: 3, models: ["m"] };
    b.report = { inFlight: 1, models: ["m"] };
    a.holds.add("m");
    b.holds.add("m");
    const tiers = await clientOver(a, b);
    a.holding = b.holding = true;
    // b: 1 → 2 → 3 while these run; then a tie with a at 3, broken by rendezvous weight.
    const calls = [infer(tiers, "m"), infer(tiers, "m"), infer(tiers, "m")];
    const third = rankTiers("m", [a.address, b.address])[0] === a.address ? "a" : "b";
    expect(tiers.status().map((tier) => tier.load)).toEqual(third === "a" ? [4, 3] : [3, 4]);
    a.release();
    b.release();
    expect(await Promise.all(calls)).toEqual(["b", "b", third]);
    // A new report replaces what the client counted itself.
    b.report = { inFlight: 7, models: ["m"] };
    await tiers.ready();
    expect(tiers.status().map((tier) => [tier.sentSinceReport, tier.load])).toEqual([
      [0, 3],
      [0, 7],
    ]);
    expect(await infer(tiers, "m")).toBe("a");
  });

  it("moves on when a tier answers NOT_FOUND for a model its report listed, and skips it after", async () => {
    a.report = { inFlight: 0, models: ["m"] };
    b.report = { inFlight: 9, models: [] };
    b.holds.add("m");
    const tiers = await clientOver(a, b);
    expect(await infer(tiers, "m")).toBe("b");
    expect(await infer(tiers, "m")).toBe("b");
    expect(tiers.status().map((tier) => [tier.up, tier.answered])).toEqual([
      [true, 1],
      [true, 2],
    ]);
  });

  it("passes a call on from a tier still loading the model without marking that tier down", async () => {
    a.report = { inFlight: 0, models: ["m"] };
    b.report = { inFlight: 4, models: ["m"] };
    a.loading.add("m");
    b.holds.add("m");
    const tiers = await clientOver(a, b);
    expect(await infer(tiers, "m")).toBe("b");
    expect(tiers.status().map((tier) => [tier.up, tier.answered, tier.lastError])).toEqual([
      [true, 1, null],
      [true, 1, null],
    ]);
    b.holds.clear();
    await expect(infer(tiers, "m")).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: 'model "m" version 1 is loading; try again shortly',
    });
    expect(tiers.status().every((tier) => tier.up)).toBe(true);
  });

  it("moves nothing off a tier whose connection failed one call while its Status still answers", async () => {
    a.report = { inFlight: 0, models: ["m"] };
    b.report = { inFlight: 4, models: ["m"] };
    a.holds.add("m");
    a.dropping.add("m");
    b.holds.add("m");
    const tiers = await clientOver(a, b);
    const downs: string[] = [];
    tiers.onTierDown((address) => downs.push(address));
    expect(await infer(tiers, "m")).toBe("b");
    // The call's failure had `a` probed before it went on to `b`: the probe answered, so `a` is up.
    expect(downs).toEqual([]);
    expect(tiers.status().map((tier) => tier.up)).toEqual([true, true]);
    a.dropping.clear();
    expect(await infer(tiers, "m")).toBe("a");
  });

  it("answers NOT_FOUND when no tier holds the model", async () => {
    const tiers = await clientOver(a, b);
    await expect(infer(tiers, "nowhere")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: 'model "nowhere" is not loaded',
    });
  });

  it("probes a tier without TierService with ServerReady and routes to it as if idle", async () => {
    old.holds.add("m");
    a.report = { inFlight: 2, models: ["m"] };
    a.holds.add("m");
    const tiers = await clientOver(a, old);
    expect(tiers.status().map((tier) => [tier.up, tier.report === null])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(await infer(tiers, "m")).toBe("old");
  });
});
