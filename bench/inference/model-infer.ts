import { availableParallelism } from "node:os";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { buildMediumCnn, mediumCnn, randomImages } from "./medium-cnn";
import type { TierUnderTest } from "./tier-under-test";

const BATCHES = [1, 8] as const;
const DURATION_MS = 4_000;
const WARMUP_MS = 500;
const MODEL = "medium-cnn";

/**
 * (a) One client, one request at a time: ModelInfer over gRPC to the tier process vs
 * `InferenceSession.run` in this process, on the same CNN with the same session options.
 */
export async function benchModelInfer(tier: TierUnderTest): Promise<Ratio> {
  const onnx = buildMediumCnn();
  // No dynamic batching: one request is one session run, as in-process.
  await tier.load(MODEL, { max_batch_size: 8 }, onnx);
  const session = await InferenceSession.create(onnx, {
    intraOpNumThreads: availableParallelism(),
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  const rows: string[][] = [];
  const p50 = new Map<string, number>();
  try {
    for (const batch of BATCHES) {
      const images = randomImages(batch);
      const shape = [batch, 3, mediumCnn.size, mediumCnn.size];
      const raw = Buffer.from(images.buffer, images.byteOffset, images.byteLength);
      const request = {
        model_name: MODEL,
        inputs: [{ name: mediumCnn.input, datatype: "FP32", shape }],
        raw_input_contents: [raw],
      };
      const viaGrpc = () => tier.kserve.call("ModelInfer", request).then(() => undefined);
      const inProcess = () =>
        session.run({ [mediumCnn.input]: new Tensor("float32", images, shape) }).then(() => undefined);
      for (const [label, call] of [
        ["gRPC ModelInfer", viaGrpc],
        ["in-process ORT", inProcess],
      ] as const) {
        await runLoad({ clients: 1, durationMs: WARMUP_MS }, call);
        const result = await runLoad({ clients: 1, durationMs: DURATION_MS }, call);
        p50.set(`${label}@${batch}`, result.latencyMs.p50);
        rows.push(row(label, batch, result));
      }
    }
  } finally {
    await session.release();
  }
  printTable(
    `(a) ModelInfer vs in-process onnxruntime-node: ${mediumCnn.size}×${mediumCnn.size} CNN, 2 × ${mediumCnn.filters}-filter convs, 1 client`,
    ["path", "batch", "requests", "p50 ms", "p99 ms", "images/s"],
    rows,
  );
  return {
    name: "inference.model-infer p50 at batch 8",
    subject: { label: "gRPC", value: p50.get("gRPC ModelInfer@8")!, unit: "ms" },
    baseline: { label: "in-process", value: p50.get("in-process ORT@8")!, unit: "ms" },
    note: "lower is better; aim ≤ 1.10",
  };
}

function row(label: string, batch: number, result: LoadResult): string[] {
  return [
    label,
    String(batch),
    String(result.requests),
    formatNumber(result.latencyMs.p50),
    formatNumber(result.latencyMs.p99),
    formatNumber(result.perSecond * batch),
  ];
}
