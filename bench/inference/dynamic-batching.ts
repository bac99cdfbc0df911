import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { buildMediumCnn, mediumCnn, randomImages } from "./medium-cnn";
import type { TierUnderTest } from "./tier-under-test";

const CLIENTS = 32;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;

/**
 * (b) 32 clients each sending single images as fast as answers come back, to the same CNN loaded
 * twice: once with dynamic batching (up to 32, 2 ms queue delay), once without (one run a request).
 */
export async function benchDynamicBatching(tier: TierUnderTest): Promise<Ratio> {
  const onnx = buildMediumCnn();
  await tier.load(
    "cnn-batched",
    { max_batch_size: CLIENTS, dynamic_batching: { max_queue_delay_microseconds: 2_000 } },
    onnx,
  );
  await tier.load("cnn-unbatched", { max_batch_size: CLIENTS }, onnx);
  const images = randomImages(1);
  const raw = Buffer.from(images.buffer, images.byteOffset, images.byteLength);
  const results = new Map<string, { load: LoadResult; runs: number }>();
  for (const model of ["cnn-batched", "cnn-unbatched"]) {
    const infer = () =>
      tier.kserve
        .call("ModelInfer", {
          model_name: model,
          inputs: [
            { name: mediumCnn.input, datatype: "FP32", shape: [1, 3, mediumCnn.size, mediumCnn.size] },
          ],
          raw_input_contents: [raw],
        })
        .then(() => undefined);
    await runLoad({ clients: CLIENTS, durationMs: WARMUP_MS }, infer);
    const before = await statistics(tier, model);
    const load = await runLoad({ clients: CLIENTS, durationMs: DURATION_MS }, infer);
    const after = await statistics(tier, model);
    results.set(model, { load, runs: after.executions - before.executions });
  }
  printTable(
    `(b) dynamic batching on vs off: ${CLIENTS} concurrent single-image clients, ${DURATION_MS / 1000} s`,
    ["model", "requests", "images/s", "p50 ms", "p95 ms", "session runs", "images per run"],
    [...results].map(([model, { load, runs }]) => [
      model,
      String(load.requests),
      formatNumber(load.perSecond),
      formatNumber(load.latencyMs.p50),
      formatNumber(load.latencyMs.p95),
      String(runs),
      formatNumber(load.requests / runs),
    ]),
  );
  const on = results.get("cnn-batched")!.load;
  const off = results.get("cnn-unbatched")!.load;
  return {
    name: "inference.dynamic-batching",
    subject: { label: "batched", value: on.perSecond, unit: "images/s" },
    baseline: { label: "unbatched", value: off.perSecond, unit: "images/s" },
    note: `p95 ${formatNumber(on.latencyMs.p95)} vs ${formatNumber(off.latencyMs.p95)} ms`,
    aim: 1.5,
  };
}

/** Session runs so far (ModelStatistics execution_count), to show how many images a run carried. */
async function statistics(tier: TierUnderTest, model: string): Promise<{ executions: number }> {
  const answer = await tier.kserve.call("ModelStatistics", { name: model, version: "" });
  const stats = answer.model_stats as Array<{ execution_count: number }>;
  return { executions: stats.reduce((sum, s) => sum + Number(s.execution_count), 0) };
}
