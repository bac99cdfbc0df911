import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectKServe, type KServeTestClient } from "./helpers/kserve-client";
import { float32s, loadRequest, rawFloat32 } from "./helpers/model-loads";
import { buildSlowModel } from "./helpers/test-models";
import { startTierProcess, type TierProcess } from "./helpers/tier-process";

const size = 512;
/** One request at a time (batches of 1), so the queue is what waits. */
const oneAtATime = (maxQueueSize: number) => ({
  max_batch_size: 1,
  dynamic_batching: { default_queue_policy: { max_queue_size: maxQueueSize } },
});

describe("the batcher's queue", () => {
  let tier: TierProcess;
  let client: KServeTestClient;
  /** Rows that make one request on "slow" take about a second on this machine. */
  let longRows: number;

  beforeAll(async () => {
    tier = await startTierProcess(0);
    client = connectKServe(tier.port);
    await Promise.all([
      client.call(
        "RepositoryModelLoad",
        loadRequest("bounded", oneAtATime(8), { 1: buildSlowModel(size, 4) }),
      ),
      // max_batch_size 0: each request, whatever its rows, runs alone, one at a time.
      client.call(
        "RepositoryModelLoad",
        loadRequest("slow", { max_batch_size: 0 }, { 1: buildSlowModel(size, 8) }),
      ),
    ]);
    await run("slow").answer; // the first run also allocates; time the second
    const started = performance.now();
    await run("slow", 2).answer;
    longRows = Math.min(64, Math.ceil(1000 / Math.max(1, (performance.now() - started) / 2)));
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  function run(model: string, rows = 1) {
    return client.start("ModelInfer", {
      model_name: model,
      inputs: [{ name: "x", datatype: "FP32", shape: [rows, 1, 1] }],
      raw_input_contents: [rawFloat32(new Array(rows).fill(1 / size))],
    });
  }

  async function statistics(model: string) {
    return (await client.call("ModelStatistics", { name: model, version: "1" })).model_stats[0];
  }

  it("answers RESOURCE_EXHAUSTED beyond max_queue_size and loses no request", async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 1000 }, () => run("bounded").answer));
    const answered = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.filter((outcome) => outcome.status === "rejected");

    expect(answered.length + refused.length).toBe(1000);
    expect(answered.length).toBeGreaterThanOrEqual(9);
    expect(refused.length).toBeGreaterThan(500);
    for (const outcome of refused) {
      expect(outcome.reason).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
      expect(outcome.reason.details).toMatch(
        /^model "bounded" version 1 has 8 requests waiting, its limit \(max_queue_size 8\); retry later$/,
      );
    }
    for (const outcome of answered) {
      expect(float32s(outcome.value.raw_output_contents[0])[0]).toBeCloseTo(1 / size, 6);
    }
    const stats = await statistics("bounded");
    expect(stats.inference_count).toBe(answered.length);
    expect(stats.inference_stats.fail.count).toBe(0);
  });

  it("takes a cancelled request out of the queue: it never runs", async () => {
    const before = await statistics("slow");
    // The first request keeps the only instance busy while the others wait in the queue.
    const calls = [run("slow", longRows), ...Array.from({ length: 5 }, () => run("slow"))];
    await new Promise((resolve) => setTimeout(resolve, 100));
    calls[2]!.cancel();
    calls[3]!.cancel();
    const outcomes = await Promise.allSettled(calls.map((call) => call.answer));

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason.code).toBe(grpc.status.CANCELLED);
    const after = await statistics("slow");
    expect(after.execution_count - before.execution_count).toBe(4);
    expect(after.inference_count - before.inference_count).toBe(4);
  });

  it("keeps answering ServerLive quickly while a slow model computes", async () => {
    const started = performance.now();
    const busy = run("slow", longRows).answer.then(() => performance.now() - started);
    const latencies: number[] = [];
    for (let probe = 0; probe < 15; probe++) {
      const sent = performance.now();
      await client.call("ServerLive");
      latencies.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const runMs = await busy;

    // Were sessions run on the event loop, a probe arriving mid-run would wait for the rest of it.
    expect(runMs).toBeGreaterThan(200);
    expect(Math.max(...latencies)).toBeLessThan(runMs / 4);
  });
});
