import { OnnxGraphBuilder } from "@tessera/onnx";

/**
 * image float32 [batch, 3, 8, 8] → channel means → Gemm (zero weights, bias = ln p) → Softmax →
 * "scores" [batch, C]: whatever the image, the scores are `probabilities` (to float32 precision),
 * with `labels` in the ONNX metadata. Ensemble tests know every member's answer in advance.
 */
export function buildConstantClassifier(labels: readonly string[], probabilities: readonly number[]): Buffer {
  const classes = labels.length;
  return Buffer.from(
    new OnnxGraphBuilder({ graphName: "constant-classifier" })
      .addInput("image", "float32", ["batch", 3, 8, 8])
      .addInitializer("weights", new Float32Array(classes * 3), [classes, 3])
      .addInitializer("bias", Float32Array.from(probabilities.map(Math.log)), [classes])
      .addNode({ op: "GlobalAveragePool", inputs: ["image"], outputs: ["pooled"] })
      .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["means"], attributes: { axis: { int: 1 } } })
      .addNode({
        op: "Gemm",
        inputs: ["means", "weights", "bias"],
        outputs: ["logits"],
        attributes: { transB: { int: 1 } },
      })
      .addNode({ op: "Softmax", inputs: ["logits"], outputs: ["scores"], attributes: { axis: { int: 1 } } })
      .addOutput("scores", "float32", ["batch", classes])
      .setMetadata("labels", JSON.stringify(labels))
      .toBytes(),
  );
}
