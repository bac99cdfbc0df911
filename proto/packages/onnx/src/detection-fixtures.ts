import { OnnxGraphBuilder, type Dimension } from "./graph-builder";

/**
 * Object detectors whose answer is fixed: the boxes a test expects are written into the graph in
 * model-input pixels, so the expected boxes in source pixels follow from the letterbox alone.
 * The image still flows through the graph (its mean times zero), so the runtime feeds and checks
 * a real input tensor.
 */

/** One candidate in model-input pixels: its centre and size, and a score per class. */
export interface FixtureCandidate {
  cx: number;
  cy: number;
  w: number;
  h: number;
  scores: readonly number[];
}

export interface FixtureDetection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classIndex: number;
}

export interface DetectorOptions {
  /** Model input size (square YOLO exports use 640). */
  width: number;
  height: number;
  /** A symbolic name for a dynamic batch (default "batch") or a fixed batch size. */
  batch?: Dimension;
  /** metadata_props, e.g. `{ labels: '["cat","dog"]' }`. */
  metadata?: Readonly<Record<string, string>>;
}

/**
 * YOLOv8's raw head: images float32 [batch, 3, H, W] → "output0" float32 [batch, 4 + C, N], column
 * n being candidate n's cx, cy, w, h and its C class scores (no objectness).
 */
export function buildYoloV8Detector(
  candidates: readonly FixtureCandidate[],
  options: DetectorOptions,
): OnnxGraphBuilder {
  const classes = candidates[0]?.scores.length ?? 0;
  const rows = 4 + classes;
  const values = new Float32Array(rows * candidates.length);
  candidates.forEach((candidate, n) => {
    if (candidate.scores.length !== classes) {
      throw new RangeError(`Candidate ${n} has ${candidate.scores.length} scores; the first has ${classes}`);
    }
    [candidate.cx, candidate.cy, candidate.w, candidate.h, ...candidate.scores].forEach((value, row) => {
      values[row * candidates.length + n] = value;
    });
  });
  return constantHead("yolov8-detector", values, [rows, candidates.length], options);
}

/**
 * An export with NMS built in: images → "output0" float32 [batch, N, 6], rows x1, y1, x2, y2,
 * score, class index (zero rows pad the answer to N, as Ultralytics' exports do).
 */
export function buildNmsDetector(
  detections: readonly FixtureDetection[],
  options: DetectorOptions & { rows?: number },
): OnnxGraphBuilder {
  const rows = options.rows ?? detections.length;
  const values = new Float32Array(rows * 6);
  detections.forEach((d, index) => values.set([d.x1, d.y1, d.x2, d.y2, d.score, d.classIndex], index * 6));
  return constantHead("nms-detector", values, [rows, 6], options);
}

function constantHead(
  graphName: string,
  values: Float32Array,
  shape: [number, number],
  options: DetectorOptions,
): OnnxGraphBuilder {
  const batch = options.batch ?? "batch";
  const model = new OnnxGraphBuilder({ graphName })
    .addInput("images", "float32", [batch, 3, options.height, options.width])
    .addInitializer("head", values, shape)
    .addInitializer("zero", Float32Array.of(0), [])
    .addNode({
      op: "ReduceMean",
      inputs: ["images"],
      outputs: ["channel_means"],
      attributes: { axes: { ints: [2, 3] }, keepdims: { int: 1 } },
    })
    .addNode({
      op: "ReduceMean",
      inputs: ["channel_means"],
      outputs: ["image_mean"],
      attributes: { axes: { ints: [1] }, keepdims: { int: 0 } },
    })
    .addNode({ op: "Mul", inputs: ["image_mean", "zero"], outputs: ["nothing"] })
    .addNode({ op: "Add", inputs: ["nothing", "head"], outputs: ["output0"] })
    .addOutput("output0", "float32", [batch, ...shape]);
  for (const [key, value] of Object.entries(options.metadata ?? {})) model.setMetadata(key, value);
  return model;
}

/**
 * A 64×64 detector of person, car and dog with five candidates: a person (0.9), a near copy of it
 * shifted one pixel (person 0.8, IoU 496/528 ≈ 0.94 with the first: suppressed at IoU 0.7), the
 * same shifted box as a car (0.6: another class, kept), a box whose best score is 0.2 (below the
 * default 0.25) and a dog (0.5) reaching past the right edge. For a 200×100 source image the
 * letterbox scale is 0.32 with 16 rows of padding above and below.
 */
export const sceneDetectorSpec = {
  width: 64,
  height: 64,
  labels: ["person", "car", "dog"],
  candidates: [
    { cx: 32, cy: 32, w: 32, h: 16, scores: [0.9, 0.1, 0] },
    { cx: 33, cy: 32, w: 32, h: 16, scores: [0.8, 0, 0] },
    { cx: 33, cy: 32, w: 32, h: 16, scores: [0, 0.6, 0] },
    { cx: 10, cy: 10, w: 8, h: 8, scores: [0.2, 0.1, 0.1] },
    { cx: 60, cy: 20, w: 16, h: 8, scores: [0, 0, 0.5] },
  ],
  /** What a 200×100 image gets at the defaults, in its own pixels. */
  expectedOn200x100: [
    { label: "person", classIndex: 0, score: 0.9, box: { x1: 50, y1: 25, x2: 150, y2: 75 } },
    { label: "car", classIndex: 1, score: 0.6, box: { x1: 53.125, y1: 25, x2: 153.125, y2: 75 } },
    { label: "dog", classIndex: 2, score: 0.5, box: { x1: 162.5, y1: 0, x2: 200, y2: 25 } },
  ],
} as const;

export function buildSceneDetector(options: Partial<DetectorOptions> = {}): OnnxGraphBuilder {
  const { width, height, labels, candidates } = sceneDetectorSpec;
  return buildYoloV8Detector(candidates, {
    width,
    height,
    metadata: { labels: JSON.stringify(labels) },
    ...options,
  });
}
