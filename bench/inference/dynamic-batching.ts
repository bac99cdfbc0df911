import { InferenceSession, Tensor } from "onnxruntime-node";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { buildResnetCnn, resnetCnn, resnetImages } from "./resnet-cnn";
import { tierSessionOptions } from "./session-options";
import { sharedInput } from "./shared-memory-inputs";
import type { TierUnderTest } from "./tier-under-test";

const CLIENTS = 32;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;
const IN_PROCESS_BATCHES = [1, 8, 16, 32] as const;
const IN_PROCESS_MS = 2_500;

/**
 * (b) 32 clients each sending single 224×224 images to the ResNet-style model as fast as answers
 * come back, to the model loaded three times: with dynamic batching (up to 32, 2 ms queue delay),
 * the same with one intra-op thread, and without batching (one run a request). The baseline is in-process onnxruntime's best throughput over
 * batch sizes 1–32 with the tier's session options: the most this host's engine can deliver.
 * Then the batched model once more with each client's image in a system shared-memory region of
 * its own (Triton's extension, for clients on the tier's host), written once.
 */
export async function benchDynamicBatching(tier: TierUnderTest): Promise<Ratio[]> {
  const onnx = buildResnetCnn();
  await tier.load(
    "resnet-batched",
    { max_batch_size: CLIENTS, dynamic_batching: { max_queue_delay_microseconds: 2_000 } },
    onnx,
  );
  // The same with one intra-op thread, leaving the other core(s) to the tier's gRPC thread: shows
  // whether the default (cores ÷ instances) oversubscribes the host under this load.
  await tier.load(
    "resnet-batched-1-thread",
    {
      max_batch_size: CLIENTS,
      dynamic_batching: { max_queue_delay_microseconds: 2_000 },
      parameters: { "tessera.intra_op_threads": { string_value: "1" } },
    },
    onnx,
  );
  await tier.load("resnet-unbatched", { max_batch_size: CLIENTS }, onnx);
  const images = resnetImages(1);
  const raw = Buffer.from(images.buffer, images.byteOffset, images.byteLength);
  const results = new Map<string, { load: LoadResult; runs: number }>();
  for (const model of ["resnet-batched", "resnet-batched-1-thread", "resnet-unbatched"]) {
    const infer = () =>
      tier.kserve
        .call("ModelInfer", {
          model_name: model,
          inputs: [
            { name: resnetCnn.input, datatype: "FP32", shape: [1, 3, resnetCnn.size, resnetCnn.size] },
          ],
          raw_input_contents: [raw],
        })
        .then(() => undefined);
    results.set(model, await measure(tier, model, infer));
  }
  const regions = await Promise.all(Array.from({ length: CLIENTS }, () => sharedInput(tier, images)));
  try {
    const free = regions.map((region) => ({
      model_name: "resnet-batched",
      inputs: [
        {
          name: resnetCnn.input,
          datatype: "FP32",
          shape: [1, 3, resnetCnn.size, resnetCnn.size],
          parameters: region.parameters,
        },
      ],
    }));
    // A call takes a region no call in flight holds: each of the 32 clients has one of its own.
    const infer = async () => {
      const request = free.pop()!;
      try {
        await tier.kserve.call("ModelInfer", request);
      } finally {
        free.push(request);
      }
    };
    results.set(SHARED, await measure(tier, "resnet-batched", infer));
  } finally {
    await Promise.all(regions.map((region) => region.destroy()));
  }
  const inProcess = await inProcessThroughput(onnx);
  printTable(
    `(b) dynamic batching on vs off: ${CLIENTS} concurrent single-image clients, ${DURATION_MS / 1000} s, ${resnetCnn.size}×${resnetCnn.size} ResNet-style CNN`,
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
  printTable(
    "(b) in-process onnxruntime-node, tier's session options, back-to-back runs",
    ["batch", "runs", "images/s", "p50 ms per run"],
    inProcess.rows,
  );
  const on = results.get("resnet-batched")!.load;
  const off = results.get("resnet-unbatched")!.load;
  const shared = results.get(SHARED)!.load;
  const inProcessBest = {
    label: `in-process ORT at batch ${inProcess.bestBatch}`,
    value: inProcess.best,
    unit: "images/s",
  };
  return [
    {
      name: "inference.dynamic-batching",
      subject: { label: "batched", value: on.perSecond, unit: "images/s" },
      baseline: { label: "unbatched", value: off.perSecond, unit: "images/s" },
      note: `p95 ${formatNumber(on.latencyMs.p95)} vs ${formatNumber(off.latencyMs.p95)} ms`,
    },
    {
      name: "inference.tier-throughput (32 single-image clients)",
      subject: { label: "tier, batching on", value: on.perSecond, unit: "images/s" },
      baseline: inProcessBest,
      aim: 0.7,
    },
    {
      name: "inference.tier-throughput via system shared memory (32 single-image clients)",
      subject: { label: "tier, batching on, shm", value: shared.perSecond, unit: "images/s" },
      baseline: inProcessBest,
      aim: 0.7,
    },
  ];
}

const SHARED = "resnet-batched, input in shm";

/** A warmed-up closed-loop run of the 32 clients, with the session runs it took. */
async function measure(tier: TierUnderTest, model: string, infer: () => Promise<void>) {
  await runLoad({ clients: CLIENTS, durationMs: WARMUP_MS }, infer);
  const before = await statistics(tier, model);
  const load = await runLoad({ clients: CLIENTS, durationMs: DURATION_MS }, infer);
  const after = await statistics(tier, model);
  return { load, runs: after.executions - before.executions };
}

/** Images/s of back-to-back session runs at each batch size, and the best of them. */
async function inProcessThroughput(onnx: Uint8Array) {
  const session = await InferenceSession.create(onnx, tierSessionOptions());
  const rows: string[][] = [];
  let best = 0;
  let bestBatch = 0;
  try {
    for (const batch of IN_PROCESS_BATCHES) {
      const shape = [batch, 3, resnetCnn.size, resnetCnn.size];
      const images = resnetImages(batch);
      const run = () =>
        session.run({ [resnetCnn.input]: new Tensor("float32", images, shape) }).then(() => undefined);
      await runLoad({ clients: 1, durationMs: WARMUP_MS / 2 }, run);
      const load = await runLoad({ clients: 1, durationMs: IN_PROCESS_MS }, run);
      const perSecond = load.perSecond * batch;
      if (perSecond > best) [best, bestBatch] = [perSecond, batch];
      rows.push([
        String(batch),
        String(load.requests),
        formatNumber(perSecond),
        formatNumber(load.latencyMs.p50),
      ]);
    }
  } finally {
    await session.release();
  }
  return { rows, best, bestBatch };
}

/** Session runs so far (ModelStatistics execution_count), to show how many images a run carried. */
async function statistics(tier: TierUnderTest, model: string): Promise<{ executions: number }> {
  const answer = await tier.kserve.call("ModelStatistics", { name: model, version: "" });
  const stats = answer.model_stats as Array<{ execution_count: number }>;
  return { executions: stats.reduce((sum, s) => sum + Number(s.execution_count), 0) };
}
