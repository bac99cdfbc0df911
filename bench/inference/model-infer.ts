import { InferenceSession, Tensor } from "onnxruntime-node";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { buildMediumCnn, mediumCnn, randomImages } from "./medium-cnn";
import { buildResnetCnn, resnetCnn, resnetImages } from "./resnet-cnn";
import { tierSessionOptions } from "./session-options";
import type { TierUnderTest } from "./tier-under-test";

const BATCHES = [1, 8] as const;
const WARMUP_MS = 500;

interface BenchModel {
  name: string;
  title: string;
  input: string;
  build: () => Uint8Array;
  images: (batch: number) => Float32Array;
  size: number;
  durationMs: number;
}

const models: BenchModel[] = [
  {
    // Little compute: what one call costs beyond the run itself (the tier's fixed overhead).
    name: "medium-cnn",
    title: `${mediumCnn.size}×${mediumCnn.size} CNN, 2 × ${mediumCnn.filters}-filter convs`,
    input: mediumCnn.input,
    build: buildMediumCnn,
    images: (batch) => randomImages(batch),
    size: mediumCnn.size,
    durationMs: 2_000,
  },
  {
    name: "resnet-cnn",
    title: `${resnetCnn.size}×${resnetCnn.size} ResNet-style CNN (3 residual stages)`,
    input: resnetCnn.input,
    build: buildResnetCnn,
    images: (batch) => resnetImages(batch),
    size: resnetCnn.size,
    durationMs: 4_000,
  },
];

/**
 * (a) One client, one request at a time: ModelInfer over gRPC to the tier process vs
 * `InferenceSession.run` in this process, on the same model with the tier's session options
 * (same intra-op threads, no spinning), so the difference is what the tier adds: gRPC, decoding,
 * the batcher and the hop to the session's worker thread. The ratio is on the ResNet-style model.
 */
export async function benchModelInfer(tier: TierUnderTest): Promise<Ratio> {
  const rows: string[][] = [];
  const p50 = new Map<string, number>();
  for (const model of models) {
    const onnx = model.build();
    // No dynamic batching: one request is one session run, as in-process.
    await tier.load(model.name, { max_batch_size: 8 }, onnx);
    const session = await InferenceSession.create(onnx, tierSessionOptions());
    try {
      for (const batch of BATCHES) {
        const images = model.images(batch);
        const shape = [batch, 3, model.size, model.size];
        const raw = Buffer.from(images.buffer, images.byteOffset, images.byteLength);
        const request = {
          model_name: model.name,
          inputs: [{ name: model.input, datatype: "FP32", shape }],
          raw_input_contents: [raw],
        };
        const viaGrpc = () => tier.kserve.call("ModelInfer", request).then(() => undefined);
        const inProcess = () =>
          session.run({ [model.input]: new Tensor("float32", images, shape) }).then(() => undefined);
        for (const [label, call] of [
          ["gRPC ModelInfer", viaGrpc],
          ["in-process ORT", inProcess],
        ] as const) {
          await runLoad({ clients: 1, durationMs: WARMUP_MS }, call);
          const result = await runLoad({ clients: 1, durationMs: model.durationMs }, call);
          p50.set(`${model.name} ${label}@${batch}`, result.latencyMs.p50);
          rows.push(row(model.name, label, batch, result));
        }
      }
    } finally {
      await session.release();
    }
  }
  printTable(
    `(a) ModelInfer vs in-process onnxruntime-node, 1 client: ${models.map((model) => `${model.name} = ${model.title}`).join("; ")}`,
    ["model", "path", "batch", "requests", "p50 ms", "p99 ms", "images/s", "p50 gRPC − in-process"],
    rows.map((cells) => {
      const [model, label, batch] = cells;
      const gap =
        p50.get(`${model} gRPC ModelInfer@${batch}`)! - p50.get(`${model} in-process ORT@${batch}`)!;
      return [...cells, label === "in-process ORT" ? `${formatNumber(gap)} ms` : ""];
    }),
  );
  return {
    name: "inference.model-infer p50 at batch 8 (resnet-cnn)",
    subject: { label: "gRPC", value: p50.get("resnet-cnn gRPC ModelInfer@8")!, unit: "ms" },
    baseline: { label: "in-process", value: p50.get("resnet-cnn in-process ORT@8")!, unit: "ms" },
    note: "lower is better; aim ≤ 1.10",
  };
}

function row(model: string, label: string, batch: number, result: LoadResult): string[] {
  return [
    model,
    label,
    String(batch),
    String(result.requests),
    formatNumber(result.latencyMs.p50),
    formatNumber(result.latencyMs.p99),
    formatNumber(result.perSecond * batch),
  ];
}
