import { OnnxGraphBuilder, type Dimension } from "@tessera/onnx";
import type { Preprocessing } from "../../../src/runtime/model-runner";

/**
 * Tiny image models with known weights, so every task answer can be worked out by hand from the
 * pixel values. All take float32 NCHW images with a dynamic batch dimension.
 */

/** pixel / 255, nothing else: channel means are then easy to work out by hand. */
export const unitScale: Preprocessing = {
  width: null,
  height: null,
  layout: "NCHW",
  colorOrder: "RGB",
  mean: [0, 0, 0],
  std: [1, 1, 1],
  resize: "stretch",
};

/** A 3-class colour classifier: [batch, 3, 4, 4] → channel means → Gemm → (Softmax) → [batch, 3]. */
export const colourClassifierSpec = {
  size: 4,
  /** [classes][channels]: class 0 likes red, class 1 green, class 2 blue. */
  weights: [
    [4, -1, -1],
    [-1, 4, -1],
    [-1, -1, 4],
  ],
  bias: [0, 0.5, -0.5],
  labels: ["red", "green", "blue"],
} as const;

export function buildColourClassifier(options: { softmax: boolean }): Uint8Array {
  const { size, weights, bias } = colourClassifierSpec;
  const model = new OnnxGraphBuilder({ graphName: "colour-classifier" })
    .addInput("image", "float32", ["batch", 3, size, size])
    .addInitializer("weights", Float32Array.from(weights.flat()), [3, 3])
    .addInitializer("bias", Float32Array.from(bias), [3])
    .addNode({ op: "GlobalAveragePool", inputs: ["image"], outputs: ["pooled"] })
    .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["means"], attributes: { axis: { int: 1 } } })
    .addNode({
      op: "Gemm",
      inputs: ["means", "weights", "bias"],
      outputs: [options.softmax ? "logits" : "scores"],
      attributes: { transB: { int: 1 } },
    });
  if (options.softmax) {
    model.addNode({
      op: "Softmax",
      inputs: ["logits"],
      outputs: ["scores"],
      attributes: { axis: { int: 1 } },
    });
  }
  return model.addOutput("scores", "float32", ["batch", 3]).toBytes();
}

/** Depth-like: the mean over colour channels, [batch, 3, H, W] → [batch, 1, H, W]. */
export function buildChannelMeanDepth(size: { width: Dimension; height: Dimension }): Uint8Array {
  return new OnnxGraphBuilder({ graphName: "channel-mean-depth" })
    .addInput("image", "float32", ["batch", 3, size.height, size.width])
    .addNode({
      op: "ReduceMean",
      inputs: ["image"],
      outputs: ["depth"],
      attributes: { axes: { ints: [1] }, keepdims: { int: 1 } },
    })
    .addOutput("depth", "float32", ["batch", 1, size.height, size.width])
    .toBytes();
}

/**
 * Segmentation-like: 2×2 average pooling (so the mask is coarser than the image, floor for odd
 * sizes) then a 1×1 convolution scoring each class: [batch, 3, H, W] → [batch, classes, H/2, W/2].
 * `weights` is [classes][channels]; with `argmax` the model returns int64 class indices itself.
 */
export function buildPooledSegmenter(
  weights: readonly (readonly number[])[],
  options: { argmax?: boolean } = {},
) {
  const classes = weights.length;
  const model = new OnnxGraphBuilder({ graphName: "pooled-segmenter" })
    .addInput("image", "float32", ["batch", 3, "height", "width"])
    .addInitializer("weights", Float32Array.from(weights.flat()), [classes, 3, 1, 1])
    .addNode({
      op: "AveragePool",
      inputs: ["image"],
      outputs: ["pooled"],
      attributes: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } },
    })
    .addNode({ op: "Conv", inputs: ["pooled", "weights"], outputs: ["scores"] });
  if (options.argmax) {
    model
      .addNode({
        op: "ArgMax",
        inputs: ["scores"],
        outputs: ["classes"],
        attributes: { axis: { int: 1 }, keepdims: { int: 1 } },
      })
      .addOutput("classes", "int64", ["batch", 1, "out_height", "out_width"]);
  } else {
    model.addOutput("scores", "float32", ["batch", classes, "out_height", "out_width"]);
  }
  return model.toBytes();
}

/** A backbone whose feature map is a 1×1 convolution of the image: [batch, 3, 4, 4] → [batch, 5, 4, 4]. */
export const convBackboneSpec = {
  size: 4,
  /** [features][channels]. */
  weights: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 1, 1],
    [1, -1, 0],
  ],
  bias: [0.1, 0.2, 0.3, 0, -0.1],
} as const;

export function buildConvBackbone(): Uint8Array {
  const { size, weights, bias } = convBackboneSpec;
  return new OnnxGraphBuilder({ graphName: "conv-backbone" })
    .addInput("image", "float32", ["batch", 3, size, size])
    .addInitializer("weights", Float32Array.from(weights.flat()), [weights.length, 3, 1, 1])
    .addInitializer("bias", Float32Array.from(bias), [bias.length])
    .addNode({ op: "Conv", inputs: ["image", "weights", "bias"], outputs: ["features"] })
    .addOutput("features", "float32", ["batch", weights.length, size, size])
    .toBytes();
}
