import { buildLinearClassifier } from "@tessera/onnx/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectKServe, type KServeTestClient } from "./helpers/kserve-client";
import { loadRequest, rawFloat32 } from "./helpers/model-loads";
import { startTierProcess, type TierProcess } from "./helpers/tier-process";

const clients = 32;
const rowOf = (index: number) => [index / 7, -index / 3, (index % 5) - 2, Math.sin(index)];

describe("dynamic batching", () => {
  let tier: TierProcess;
  let client: KServeTestClient;

  beforeAll(async () => {
    tier = await startTierProcess(0);
    client = connectKServe(tier.port);
    const model = buildLinearClassifier().toBytes();
    await Promise.all([
      client.call(
        "RepositoryModelLoad",
        loadRequest(
          "batched",
          { max_batch_size: 16, dynamic_batching: { max_queue_delay_microseconds: 20_000 } },
          { 1: model },
        ),
      ),
      // Same model, same batch dimension, no dynamic batching: every request runs alone.
      client.call("RepositoryModelLoad", loadRequest("one-by-one", { max_batch_size: 16 }, { 1: model })),
    ]);
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  function classify(model: string, row: number[]) {
    return client
      .call("ModelInfer", {
        model_name: model,
        inputs: [{ name: "input", datatype: "FP32", shape: [1, 4] }],
        raw_input_contents: [rawFloat32(row)],
      })
      .then((answer) => answer.raw_output_contents[0] as Buffer);
  }

  async function statistics(model: string) {
    const [stats] = (await client.call("ModelStatistics", { name: model, version: "1" })).model_stats;
    return stats;
  }

  it("merges 32 concurrent single-row requests into fewer executions with identical outputs", async () => {
    const rows = Array.from({ length: clients }, (_, index) => rowOf(index));
    const batched = await Promise.all(rows.map((row) => classify("batched", row)));
    const alone: Buffer[] = [];
    for (const row of rows) alone.push(await classify("one-by-one", row));

    batched.forEach((answer, index) => expect(answer.equals(alone[index]!)).toBe(true));
    const merged = await statistics("batched");
    expect(merged.inference_count).toBe(clients);
    expect(merged.execution_count).toBeLessThan(merged.inference_count);
    const largest = Math.max(...merged.batch_stats.map((batch: { batch_size: number }) => batch.batch_size));
    expect(largest).toBeGreaterThan(1);
    expect(largest).toBeLessThanOrEqual(16);
    expect(merged.inference_stats.queue.count).toBe(clients);

    const unmerged = await statistics("one-by-one");
    expect(unmerged.execution_count).toBe(clients);
    expect(unmerged.batch_stats.map((batch: { batch_size: number }) => batch.batch_size)).toEqual([1]);
  });

  it("waits at most max_queue_delay for company before running a lone request", async () => {
    const started = performance.now();
    await classify("batched", rowOf(1));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(19);
    expect(elapsed).toBeLessThan(1000);
  });
});
