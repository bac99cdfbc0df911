import { OnnxGraphBuilder } from "@tessera/onnx";
import { buildLinearClassifier, linearClassifierSpec } from "@tessera/onnx/fixtures";

/** The linear classifier that also returns its logits, for tests of requested outputs. */
export function buildClassifierWithLogits(): Uint8Array {
  return buildLinearClassifier()
    .addOutput("logits", "float32", ["batch", linearClassifierSpec.classes])
    .toBytes();
}

/** The linear classifier with every weight negated: a "version 2" whose answers differ from version 1. */
export function buildNegatedClassifier(): Uint8Array {
  const { input, output, features, classes, weights, bias } = linearClassifierSpec;
  return new OnnxGraphBuilder({ graphName: "negated-classifier" })
    .addInput(input, "float32", ["batch", features])
    .addInitializer(
      "weights",
      Float32Array.from(weights.flat(), (w) => -w),
      [classes, features],
    )
    .addInitializer(
      "bias",
      Float32Array.from(bias, (b) => -b),
      [classes],
    )
    .addNode({
      op: "Gemm",
      inputs: [input, "weights", "bias"],
      outputs: ["logits"],
      attributes: { transB: { int: 1 } },
    })
    .addNode({ op: "Softmax", inputs: ["logits"], outputs: [output], attributes: { axis: { int: 1 } } })
    .addOutput(output, "float32", ["batch", classes])
    .toBytes();
}

/** softmax(x·Wᵀ + b) of the linear classifier, computed here in double precision. */
export function expectedProbabilities(
  row: readonly number[],
  weights: ReadonlyArray<readonly number[]> = linearClassifierSpec.weights,
  bias: readonly number[] = linearClassifierSpec.bias,
): number[] {
  const logits = weights.map((w, k) => w.reduce((sum, weight, i) => sum + weight * row[i]!, bias[k]!));
  const top = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - top));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

/**
 * x float32 [batch, 1, 1] → Expand to [batch, size, size] → `multiplications` chained MatMuls with
 * that matrix → ReduceMean → y float32 [batch]. Each row costs multiplications × size³
 * multiply-adds, so the model is slow on purpose; with x = 1/size every product stays 1/size.
 */
export function buildSlowModel(
  size: number,
  multiplications: number,
  batch: number | string = "batch",
): Uint8Array {
  const model = new OnnxGraphBuilder({ graphName: "slow-model" })
    .addInput("x", "float32", [batch, 1, 1])
    .addInitializer("shape", BigInt64Array.from([1n, BigInt(size), BigInt(size)]), [3])
    .addNode({ op: "Expand", inputs: ["x", "shape"], outputs: ["m0"] });
  for (let step = 1; step <= multiplications; step++) {
    model.addNode({ op: "MatMul", inputs: [`m${step - 1}`, "m0"], outputs: [`m${step}`] });
  }
  return model
    .addNode({
      op: "ReduceMean",
      inputs: [`m${multiplications}`],
      outputs: ["y"],
      attributes: { axes: { ints: [1, 2] }, keepdims: { int: 0 } },
    })
    .addOutput("y", "float32", [batch])
    .toBytes();
}
