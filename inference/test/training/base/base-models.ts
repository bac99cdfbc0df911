import { OnnxGraphBuilder } from "@tessera/onnx";
import { buildTinyCnn, tinyCnnSpec } from "@tessera/onnx/fixtures";

/**
 * Bases built from the tiny CNN: its hidden values made outputs, so one model offers class
 * scores ("logits" [N, 3]), a feature map ("relu" [N, 4, 8, 8]) and pooled features
 * ("features" [N, 4]).
 */
export function buildTinyCnnBase(): Uint8Array {
  return buildTinyCnn()
    .addOutput("relu", "float32", ["batch", tinyCnnSpec.filters, tinyCnnSpec.size, tinyCnnSpec.size])
    .addOutput("features", "float32", ["batch", tinyCnnSpec.filters])
    .toBytes();
}

/**
 * The tiny CNN's convolution on a channels-last image, its map channels-last too:
 * image [N, 8, 8, 3] → "map" [N, 8, 8, 4]; operator set 18 (ReduceMean's axes are an input there).
 */
export function buildChannelsLastBase(): Uint8Array {
  const spec = tinyCnnSpec;
  return new OnnxGraphBuilder({ graphName: "channels-last", opset: 18 })
    .addInput("image", "float32", ["batch", spec.size, spec.size, spec.channels])
    .addInitializer("conv.weight", Float32Array.from(spec.convWeights), [spec.filters, spec.channels, 3, 3])
    .addInitializer("conv.bias", Float32Array.from(spec.convBias), [spec.filters])
    .addNode({
      op: "Transpose",
      inputs: ["image"],
      outputs: ["nchw"],
      attributes: { perm: { ints: [0, 3, 1, 2] } },
    })
    .addNode({
      op: "Conv",
      inputs: ["nchw", "conv.weight", "conv.bias"],
      outputs: ["conv"],
      attributes: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } },
    })
    .addNode({ op: "Relu", inputs: ["conv"], outputs: ["relu"] })
    .addNode({
      op: "Transpose",
      inputs: ["relu"],
      outputs: ["map"],
      attributes: { perm: { ints: [0, 2, 3, 1] } },
    })
    .addOutput("map", "float32", ["batch", spec.size, spec.size, spec.filters])
    .toBytes();
}

/** The tiny CNN with an output of rank 3 ([N, 4, 64]) and one of int64 class indices. */
export function buildUnusableBase(): Uint8Array {
  return buildTinyCnn()
    .addInitializer("tokens.shape", BigInt64Array.of(0n, 4n, -1n), [3])
    .addNode({ op: "Reshape", inputs: ["relu", "tokens.shape"], outputs: ["tokens"] })
    .addNode({
      op: "ArgMax",
      inputs: ["logits"],
      outputs: ["class"],
      attributes: { axis: { int: 1 }, keepdims: { int: 0 } },
    })
    .addOutput("tokens", "float32", ["batch", tinyCnnSpec.filters, 64])
    .addOutput("class", "int64", ["batch"])
    .toBytes();
}

/**
 * The tiny CNN's pooled features reshaped by a shape computed at run time, so that shape
 * inference knows the rank but not the width: only a run tells it.
 */
export function buildUndeclaredBase(): Uint8Array {
  return buildTinyCnn()
    .addNode({ op: "Shape", inputs: ["features"], outputs: ["features.shape"] })
    .addNode({ op: "Reshape", inputs: ["features", "features.shape"], outputs: ["reshaped"] })
    .addOutput("reshaped", "float32")
    .toBytes();
}
