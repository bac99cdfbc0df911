import { OnnxGraphBuilder, type Dimension } from "./graph-builder";

/**
 * Tiny models with known weights, for tests and benchmarks that need a real ONNX file and exact
 * expected outputs. Each builder returns an OnnxGraphBuilder so a caller can add metadata or
 * break the graph before `toBytes()`.
 */

/** input float32 [batch, 4] → Gemm (x·Wᵀ + b) → Softmax → "probabilities" float32 [batch, 3]. */
export const linearClassifierSpec = {
  input: "input",
  output: "probabilities",
  features: 4,
  classes: 3,
  /** [classes][features]: row k scores class k. */
  weights: [
    [0.5, -0.25, 1, 0],
    [-1, 0.75, 0, 0.5],
    [0.25, 0.25, -0.5, 1],
  ],
  bias: [0.1, -0.2, 0.05],
  labels: ["cat", "dog", "bird"],
} as const;

export interface LinearClassifierOptions {
  /** A symbolic name for a dynamic batch (default "batch") or a fixed batch size. */
  batch?: Dimension;
  /** metadata_props; default `{ labels: '["cat","dog","bird"]' }`. */
  metadata?: Readonly<Record<string, string>>;
}

export function buildLinearClassifier(options: LinearClassifierOptions = {}): OnnxGraphBuilder {
  const { input, output, features, classes, weights, bias, labels } = linearClassifierSpec;
  const batch = options.batch ?? "batch";
  const metadata = options.metadata ?? { labels: JSON.stringify(labels) };
  const model = new OnnxGraphBuilder({ graphName: "linear-classifier" })
    .addInput(input, "float32", [batch, features])
    .addInitializer("weights", Float32Array.from(weights.flat()), [classes, features])
    .addInitializer("bias", Float32Array.from(bias), [classes])
    .addNode({
      op: "Gemm",
      inputs: [input, "weights", "bias"],
      outputs: ["logits"],
      attributes: { transB: { int: 1 } },
    })
    .addNode({ op: "Softmax", inputs: ["logits"], outputs: [output], attributes: { axis: { int: 1 } } })
    .addOutput(output, "float32", [batch, classes]);
  for (const [key, value] of Object.entries(metadata)) model.setMetadata(key, value);
  return model;
}

/** The linear classifier with its batch fixed at 1: a model that cannot be batched. */
export function buildFixedBatchClassifier(): OnnxGraphBuilder {
  return buildLinearClassifier({ batch: 1 });
}

const convChannels = 4;
const imageChannels = 3;

/**
 * image float32 [batch, 3, 8, 8] → Conv 3×3 (4 filters, padding 1) → Relu → GlobalAveragePool →
 * Flatten → Gemm (x·Wᵀ + b) → "logits" float32 [batch, 3].
 */
export const tinyCnnSpec = {
  input: "image",
  output: "logits",
  channels: imageChannels,
  size: 8,
  filters: convChannels,
  kernel: 3,
  classes: 3,
  /** [filters][channels][3][3], flattened row-major; values in -0.3…0.3. */
  convWeights: Array.from({ length: convChannels * imageChannels * 9 }, (_, index) => ((index % 7) - 3) / 10),
  convBias: [0.1, -0.1, 0.2, 0],
  /** [classes][filters]. */
  denseWeights: [
    [0.5, -0.5, 0.25, 1],
    [-0.25, 1, 0.5, -1],
    [1, 0.25, -0.75, 0.5],
  ],
  denseBias: [0, 0.1, -0.1],
} as const;

export function buildTinyCnn(options: { batch?: Dimension } = {}): OnnxGraphBuilder {
  const spec = tinyCnnSpec;
  const batch = options.batch ?? "batch";
  return new OnnxGraphBuilder({ graphName: "tiny-cnn" })
    .addInput(spec.input, "float32", [batch, spec.channels, spec.size, spec.size])
    .addInitializer("conv.weight", Float32Array.from(spec.convWeights), [
      spec.filters,
      spec.channels,
      spec.kernel,
      spec.kernel,
    ])
    .addInitializer("conv.bias", Float32Array.from(spec.convBias), [spec.filters])
    .addInitializer("dense.weight", Float32Array.from(spec.denseWeights.flat()), [spec.classes, spec.filters])
    .addInitializer("dense.bias", Float32Array.from(spec.denseBias), [spec.classes])
    .addNode({
      op: "Conv",
      inputs: [spec.input, "conv.weight", "conv.bias"],
      outputs: ["conv"],
      attributes: { kernel_shape: { ints: [spec.kernel, spec.kernel] }, pads: { ints: [1, 1, 1, 1] } },
    })
    .addNode({ op: "Relu", inputs: ["conv"], outputs: ["relu"] })
    .addNode({ op: "GlobalAveragePool", inputs: ["relu"], outputs: ["pooled"] })
    .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["features"], attributes: { axis: { int: 1 } } })
    .addNode({
      op: "Gemm",
      inputs: ["features", "dense.weight", "dense.bias"],
      outputs: [spec.output],
      attributes: { transB: { int: 1 } },
    })
    .addOutput(spec.output, "float32", [batch, spec.classes]);
}
export * from "./detection-fixtures";

/** Two inputs of two element types: x [batch, 3] float32 → doubled = x + x; n [batch, 2] int64 → summed = n + n. */
export function buildDoubler(): OnnxGraphBuilder {
  return new OnnxGraphBuilder({ graphName: "doubler" })
    .addInput("x", "float32", ["batch", 3])
    .addInput("n", "int64", ["batch", 2])
    .addNode({ op: "Add", inputs: ["x", "x"], outputs: ["doubled"] })
    .addNode({ op: "Add", inputs: ["n", "n"], outputs: ["summed"] })
    .addOutput("doubled", "float32", ["batch", 3])
    .addOutput("summed", "int64", ["batch", 2]);
}
