import * as grpc from "@grpc/grpc-js";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { OnnxGraphBuilder } from "@tessera/onnx";
import { loadTasks } from "@tessera/proto/tasks";
import { InferenceSession, Tensor } from "onnxruntime-node";
import sharp from "sharp";
import { letterboxOf } from "../../inference/src/images/letterbox";
import { seeded } from "../inference/medium-cnn";
import { startTierUnderTest } from "../inference/tier-under-test";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";

const SIZE = 640;
const CLASSES = 80;
const CLIENTS = 4;
const DURATION_MS = 6_000;
const WARMUP_MS = 1_000;
const MODEL = "bench-detector";
/** A 4:3 photo, so the tier letterboxes it (80 rows of padding above and below). */
const PHOTO = { width: 640, height: 480 };

/**
 * The convolutions of the bench's detector, a plain YOLO-like backbone at 640×640: 3×3 convs
 * (pads 1, ReLU), stride 2 where `stride` says, down to 80×80 — one candidate per cell, 6400 in
 * all — then the 1×1 head: 10.1 GFLOPs per image (`DETECTOR_GFLOPS`), a little over YOLOv8n's
 * 8.7 at 640, since plain convolutions run faster in ONNX Runtime than YOLOv8n's mix of ops; on a
 * 2-core CPU it takes about 40 ms per image at batch 1, so the model, as in real use, is most of
 * a request's time and the tier's per-image work is measured against a realistic figure.
 */
const BACKBONE: ReadonlyArray<{ filters: number; stride: 1 | 2 }> = [
  { filters: 16, stride: 2 }, // 320×320
  { filters: 32, stride: 2 }, // 160×160
  ...Array.from({ length: 6 }, () => ({ filters: 32, stride: 1 as const })),
  { filters: 64, stride: 2 }, // 80×80
  ...Array.from({ length: 14 }, () => ({ filters: 64, stride: 1 as const })),
];

/** Multiply-adds of one image through the detector, × 2: floating-point operations, in billions. */
const DETECTOR_GFLOPS = (() => {
  let side = SIZE;
  let channels = 3;
  let macs = 0;
  for (const { filters, stride } of BACKBONE) {
    side /= stride;
    macs += side * side * filters * channels * 9;
    channels = filters;
  }
  macs += side * side * (4 + CLASSES) * channels;
  return (2 * macs) / 1e9;
})();

/**
 * A YOLO-shaped detector with about a real one's compute: images float32 [batch, 3, 640, 640] →
 * BACKBONE → 1×1 conv to 4 + 80 channels → Sigmoid → × (640 for the box rows, 1 for the scores)
 * → [batch, 84, 6400]: YOLOv8's raw head layout with 6400 candidates. Weights are fixed
 * pseudo-random values.
 */
function buildBenchDetector(): Uint8Array {
  const values = seeded(11);
  const weights = (count: number, fanIn: number) =>
    Float32Array.from({ length: count }, () => (values() - 0.5) * 2 * Math.sqrt(3 / fanIn));
  const rows = 4 + CLASSES;
  const model = new OnnxGraphBuilder({ graphName: "bench-detector" }).addInput("images", "float32", [
    "batch",
    3,
    SIZE,
    SIZE,
  ]);
  let previous = "images";
  let channels = 3;
  for (const [index, { filters, stride }] of BACKBONE.entries()) {
    model
      .addInitializer(`conv${index}.weight`, weights(filters * channels * 9, channels * 9), [
        filters,
        channels,
        3,
        3,
      ])
      .addInitializer(`conv${index}.bias`, weights(filters, 1), [filters])
      .addNode({
        op: "Conv",
        inputs: [previous, `conv${index}.weight`, `conv${index}.bias`],
        outputs: [`conv${index}`],
        attributes: {
          kernel_shape: { ints: [3, 3] },
          pads: { ints: [1, 1, 1, 1] },
          strides: { ints: [stride, stride] },
        },
      })
      .addNode({ op: "Relu", inputs: [`conv${index}`], outputs: [`relu${index}`] });
    previous = `relu${index}`;
    channels = filters;
  }
  const scale = Float32Array.from({ length: rows }, (_, row) => (row < 4 ? SIZE : 1));
  return model
    .addInitializer("head.weight", weights(rows * channels, channels), [rows, channels, 1, 1])
    .addInitializer("head.bias", weights(rows, 1), [rows])
    .addInitializer("head.scale", scale, [rows, 1])
    .addInitializer("head.shape", BigInt64Array.from([0n, BigInt(rows), -1n]), [3])
    .addNode({ op: "Conv", inputs: [previous, "head.weight", "head.bias"], outputs: ["head"] })
    .addNode({ op: "Sigmoid", inputs: ["head"], outputs: ["squashed"] })
    .addNode({ op: "Reshape", inputs: ["squashed", "head.shape"], outputs: ["flat"] })
    .addNode({ op: "Mul", inputs: ["flat", "head.scale"], outputs: ["output0"] })
    .addOutput("output0", "float32", ["batch", rows, (SIZE / 8) ** 2])
    .toBytes();
}

/** A smooth 640×480 JPEG (gradients), the kind of bytes a camera sends. */
async function photo(): Promise<Buffer> {
  const { width, height } = PHOTO;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x % 256, y % 256, (x + y) % 256], (y * width + x) * 3);
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The photo letterboxed and scaled to [0, 1], as the tier feeds the model, made once. */
async function letterboxedTensor(jpeg: Buffer, batch: number): Promise<Float32Array> {
  const box = letterboxOf(PHOTO, { width: SIZE, height: SIZE });
  const grey = { r: 114, g: 114, b: 114 };
  const rgb = await sharp(jpeg)
    .resize(box.width, box.height, { fit: "fill" })
    .extend({ top: box.top, bottom: box.bottom, left: box.left, right: box.right, background: grey })
    .removeAlpha()
    .raw()
    .toBuffer();
  const plane = SIZE * SIZE;
  const one = new Float32Array(3 * plane);
  for (let pixel = 0; pixel < plane; pixel++) {
    for (let c = 0; c < 3; c++) one[c * plane + pixel] = rgb[pixel * 3 + c]! / 255;
  }
  const tensor = new Float32Array(batch * one.length);
  for (let image = 0; image < batch; image++) tensor.set(one, image * one.length);
  return tensor;
}

/**
 * Detection images/s: the tier's Detect RPC (JPEG decode, letterbox, the model through the dynamic
 * batcher, transpose, per-class NMS, boxes back to the photo's pixels) with CLIENTS requests in
 * flight, vs `InferenceSession.run` in this process on the same graph with a ready tensor — the
 * better of batch 1 and batch CLIENTS, so the baseline is the most ORT alone does on this machine.
 */
export async function measureDetection(): Promise<Ratio[]> {
  const onnx = buildBenchDetector();
  const jpeg = await photo();
  const tier = await startTierUnderTest();
  const TaskService = loadTasks().TaskService;
  const client = new TaskService(`127.0.0.1:${tier.tier.port}`, grpc.credentials.createInsecure());
  const session = await InferenceSession.create(onnx, {
    intraOpNumThreads: availableParallelism(),
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  const rows: string[][] = [];
  try {
    await tier.load(
      MODEL,
      {
        max_batch_size: CLIENTS,
        dynamic_batching: { max_queue_delay_microseconds: 2_000 },
        parameters: {
          "tessera.task": { string_value: "detection" },
          "tessera.preprocessing": { string_value: JSON.stringify({ resize: "letterbox" }) },
        },
      },
      onnx,
    );
    const detect = promisify(client.Detect.bind(client)) as (
      request: object,
    ) => Promise<{ detections: unknown[] }>;
    let boxes = 0;
    const viaTier = async () => {
      boxes = (await detect({ model_name: MODEL, image: jpeg })).detections.length;
    };
    await runLoad({ clients: CLIENTS, durationMs: WARMUP_MS }, viaTier);
    const tierResult = await runLoad({ clients: CLIENTS, durationMs: DURATION_MS }, viaTier);
    rows.push(row(`tier Detect (${CLIENTS} clients, dynamic batching)`, 1, tierResult, boxes));

    let baseline = 0;
    for (const batch of [1, CLIENTS]) {
      const feeds = {
        images: new Tensor("float32", await letterboxedTensor(jpeg, batch), [batch, 3, SIZE, SIZE]),
      };
      const inProcess = () => session.run(feeds).then(() => undefined);
      await runLoad({ clients: 1, durationMs: WARMUP_MS }, inProcess);
      const result = await runLoad({ clients: 1, durationMs: DURATION_MS }, inProcess);
      rows.push(row("in-process ORT (ready tensor, no decode or NMS)", batch, result, null));
      baseline = Math.max(baseline, result.perSecond * batch);
    }
    printTable(
      `Detection: a ${PHOTO.width}×${PHOTO.height} JPEG through a ${SIZE}×${SIZE} YOLO-shaped detector ` +
        `(${DETECTOR_GFLOPS.toFixed(1)} GFLOPs per image, 84 × 6400 output)`,
      ["path", "batch", "requests", "p50 ms", "p99 ms", "images/s", "boxes"],
      rows,
    );
    return [
      {
        name: "serving.detection",
        subject: { label: "tier Detect", value: tierResult.perSecond, unit: "images/s" },
        baseline: { label: "in-process ORT", value: baseline, unit: "images/s" },
        aim: 0.7,
      },
    ];
  } finally {
    client.close();
    await session.release();
    await tier.stop();
  }
}

function row(label: string, batch: number, result: LoadResult, boxes: number | null): string[] {
  return [
    label,
    String(batch),
    String(result.requests),
    formatNumber(result.latencyMs.p50),
    formatNumber(result.latencyMs.p99),
    formatNumber(result.perSecond * batch),
    boxes === null ? "" : String(boxes),
  ];
}
