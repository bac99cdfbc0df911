import { OnnxGraphBuilder } from "@tessera/onnx";

/**
 * A CNN big enough that inference, not the RPC, dominates a call: image float32 [batch, 3, 64, 64]
 * → Conv 3×3 (32 filters) → Relu → Conv 3×3 (32 filters) → Relu → GlobalAveragePool → Gemm →
 * "logits" [batch, 10]. Weights are fixed pseudo-random values: the bench measures time, not answers.
 */
export const mediumCnn = { input: "image", output: "logits", size: 64, filters: 32, classes: 10 } as const;

export const MEDIUM_CNN_LABELS = Array.from({ length: mediumCnn.classes }, (_, i) => `class-${i}`);

export function buildMediumCnn(): Uint8Array {
  const { input, output, size, filters, classes } = mediumCnn;
  const values = seeded(7);
  const weights = (count: number, scale: number) =>
    Float32Array.from({ length: count }, () => (values() - 0.5) * scale);
  const conv = { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } };
  return new OnnxGraphBuilder({ graphName: "medium-cnn" })
    .addInput(input, "float32", ["batch", 3, size, size])
    .addInitializer("conv1.weight", weights(filters * 3 * 9, 0.4), [filters, 3, 3, 3])
    .addInitializer("conv1.bias", weights(filters, 0.1), [filters])
    .addInitializer("conv2.weight", weights(filters * filters * 9, 0.1), [filters, filters, 3, 3])
    .addInitializer("conv2.bias", weights(filters, 0.1), [filters])
    .addInitializer("dense.weight", weights(classes * filters, 1), [classes, filters])
    .addInitializer("dense.bias", weights(classes, 0.1), [classes])
    .addNode({ op: "Conv", inputs: [input, "conv1.weight", "conv1.bias"], outputs: ["c1"], attributes: conv })
    .addNode({ op: "Relu", inputs: ["c1"], outputs: ["r1"] })
    .addNode({ op: "Conv", inputs: ["r1", "conv2.weight", "conv2.bias"], outputs: ["c2"], attributes: conv })
    .addNode({ op: "Relu", inputs: ["c2"], outputs: ["r2"] })
    .addNode({ op: "GlobalAveragePool", inputs: ["r2"], outputs: ["pooled"] })
    .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["features"], attributes: { axis: { int: 1 } } })
    .addNode({
      op: "Gemm",
      inputs: ["features", "dense.weight", "dense.bias"],
      outputs: [output],
      attributes: { transB: { int: 1 } },
    })
    .addOutput(output, "float32", ["batch", classes])
    .toBytes();
}

/** `batch` images of pseudo-random values, as the float32 tensor the model takes. */
export function randomImages(batch: number, seed = 1): Float32Array {
  const values = seeded(seed);
  return Float32Array.from({ length: batch * 3 * mediumCnn.size * mediumCnn.size }, () => values());
}

/** A small linear congruential generator: the same numbers on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
