import { InferenceSession, Tensor } from "onnxruntime-node";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { buildMediumCnn, mediumCnn, randomImages } from "./medium-cnn";
import { buildResnetCnn, resnetCnn, resnetImages } from "./resnet-cnn";
import { tierSessionOptions } from "./session-options";
import { sharedInput } from "./shared-memory-inputs";
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

const RAW = "gRPC ModelInfer";
const SHM = "gRPC, input in shm";
const SHM_WRITTEN = "gRPC, shm written per call";
const IN_PROCESS = "in-process ORT";

/**
 * (a) One client, one request at a time: ModelInfer over gRPC to the tier process vs
 * `InferenceSession.run` in this process, on the same model with the tier's session options
 * (same intra-op threads, no spinning), so the difference is what the tier adds: gRPC, decoding,
 * the batcher and the hop to the session's worker thread. The same ModelInfer with its input in
 * system shared memory (Triton's extension, for clients on the tier's host): the tensor written
 * to a registered region once, as perf_analyzer does, and written again before every call, as a
 * client with a new tensor each time would. The ratios are on the ResNet-style model.
 */
export async function benchModelInfer(tier: TierUnderTest): Promise<Ratio[]> {
  const rows: string[][] = [];
  const stages: string[][] = [];
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
        const shared = await sharedInput(tier, images);
        const sharedRequest = {
          model_name: model.name,
          inputs: [{ name: model.input, datatype: "FP32", shape, parameters: shared.parameters }],
        };
        const viaSharedMemory = () => tier.kserve.call("ModelInfer", sharedRequest).then(() => undefined);
        const writtenPerCall = () => shared.write().then(viaSharedMemory);
        const inProcess = () =>
          session.run({ [model.input]: new Tensor("float32", images, shape) }).then(() => undefined);
        try {
          for (const [label, call] of [
            [RAW, viaGrpc],
            [SHM, viaSharedMemory],
            [SHM_WRITTEN, writtenPerCall],
            [IN_PROCESS, inProcess],
          ] as const) {
            await runLoad({ clients: 1, durationMs: WARMUP_MS }, call);
            const before = await tierTimes(tier, model.name);
            const result = await runLoad({ clients: 1, durationMs: model.durationMs }, call);
            const after = await tierTimes(tier, model.name);
            p50.set(`${model.name} ${label}@${batch}`, result.latencyMs.p50);
            rows.push(row(model.name, label, batch, result));
            if (label !== IN_PROCESS) stages.push(stageRow(model.name, label, batch, result, before, after));
          }
        } finally {
          await shared.destroy();
        }
      }
    } finally {
      await session.release();
    }
  }
  printTable(
    `(a) ModelInfer vs in-process onnxruntime-node, 1 client: ${models.map((model) => `${model.name} = ${model.title}`).join("; ")}`,
    ["model", "path", "batch", "requests", "p50 ms", "p99 ms", "images/s", "p50 − in-process"],
    rows.map((cells) => {
      const [model, label, batch] = cells;
      const gap = p50.get(`${model} ${label}@${batch}`)! - p50.get(`${model} ${IN_PROCESS}@${batch}`)!;
      return [...cells, label === IN_PROCESS ? "" : `${formatNumber(gap)} ms`];
    }),
  );
  printTable(
    "(a) where a gRPC call's time goes, mean ms per request: the tier's ModelStatistics over the same run; " +
      "outside = round trip − tier (gRPC both ways, decoding or the shm read, the client)",
    [
      "model",
      "path",
      "batch",
      "round trip",
      "tier",
      "queue",
      "compute input",
      "infer",
      "compute output",
      "outside",
    ],
    stages,
  );
  const inProcess = { label: "in-process", value: p50.get(`resnet-cnn ${IN_PROCESS}@8`)!, unit: "ms" };
  return [
    {
      name: "inference.model-infer p50 at batch 8 (resnet-cnn)",
      subject: { label: "gRPC", value: p50.get(`resnet-cnn ${RAW}@8`)!, unit: "ms" },
      baseline: inProcess,
      note: "lower is better; aim ≤ 1.10",
    },
    {
      name: "inference.model-infer via system shared memory, p50 at batch 8 (resnet-cnn)",
      subject: { label: "gRPC + shm", value: p50.get(`resnet-cnn ${SHM}@8`)!, unit: "ms" },
      baseline: inProcess,
      note: `lower is better; aim ≤ 1.10; written per call ${formatNumber(p50.get(`resnet-cnn ${SHM_WRITTEN}@8`)!)} ms`,
    },
  ];
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

interface TierTimes {
  count: number;
  successNs: number;
  queueNs: number;
  inputNs: number;
  inferNs: number;
  outputNs: number;
}

/** The model's cumulative ModelStatistics: requests answered and the time of each stage. */
async function tierTimes(tier: TierUnderTest, model: string): Promise<TierTimes> {
  const answer = await tier.kserve.call("ModelStatistics", { name: model, version: "" });
  const stats = answer.model_stats[0].inference_stats;
  return {
    count: Number(stats.success.count),
    successNs: Number(stats.success.ns),
    queueNs: Number(stats.queue.ns),
    inputNs: Number(stats.compute_input.ns),
    inferNs: Number(stats.compute_infer.ns),
    outputNs: Number(stats.compute_output.ns),
  };
}

function stageRow(
  model: string,
  label: string,
  batch: number,
  result: LoadResult,
  before: TierTimes,
  after: TierTimes,
): string[] {
  const count = after.count - before.count;
  const ms = (key: Exclude<keyof TierTimes, "count">) => (after[key] - before[key]) / count / 1e6;
  const roundTrip = (result.seconds * 1000) / result.requests;
  return [
    model,
    label,
    String(batch),
    formatNumber(roundTrip),
    formatNumber(ms("successNs")),
    formatNumber(ms("queueNs")),
    formatNumber(ms("inputNs")),
    formatNumber(ms("inferNs")),
    formatNumber(ms("outputNs")),
    formatNumber(roundTrip - ms("successNs")),
  ];
}
