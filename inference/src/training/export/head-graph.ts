import { elementTypeCode, encodeAttribute } from "@tessera/onnx";
import type { onnx } from "onnx-proto";
import type { DenseLayer, HeadWeights } from "../contracts";

/** The nodes and weights appended to a graph, and the value holding their result. */
export interface GraphPart {
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
  output: string;
}

/** Hands out names no other part of the graph uses. */
export class GraphNames {
  constructor(private readonly taken: Set<string>) {}

  fresh(name: string): string {
    let candidate = name;
    for (let suffix = 2; this.taken.has(candidate); suffix++) candidate = `${name}_${suffix}`;
    this.taken.add(candidate);
    return candidate;
  }
}

/**
 * [N, D] from a feature map: GlobalAveragePool and Flatten for NCHW; ReduceMean over the
 * positions for NHWC (its axes an attribute before opset 18, an input from 18 on).
 */
export function pooledFeatures(
  map: "NCHW" | "NHWC",
  input: string,
  opset: number,
  names: GraphNames,
): GraphPart {
  const output = names.fresh("head/features");
  if (map === "NCHW") {
    const pooled = names.fresh("head/pooled");
    return {
      nodes: [
        node("GlobalAveragePool", [input], [pooled], names),
        node("Flatten", [pooled], [output], names, { axis: { int: 1 } }),
      ],
      initializers: [],
      output,
    };
  }
  if (opset < 18) {
    return {
      nodes: [node("ReduceMean", [input], [output], names, { axes: { ints: [1, 2] }, keepdims: { int: 0 } })],
      initializers: [],
      output,
    };
  }
  const axes = names.fresh("head/spatial_axes");
  return {
    nodes: [node("ReduceMean", [input, axes], [output], names, { keepdims: { int: 0 } })],
    initializers: [
      {
        name: axes,
        dims: [2],
        dataType: elementTypeCode("int64"),
        rawData: bytesOf(BigInt64Array.of(1n, 2n)),
      },
    ],
    output,
  };
}

/**
 * Gemm (transB = 1) per layer, Relu between layers, Softmax last: `output` holds the class
 * probabilities. The head's standardisation is folded into the first layer:
 * W·((x − mean)·scale) + b = (W·diag(scale))·x + (b − W·(mean·scale)).
 */
export function denseHead(head: HeadWeights, input: string, output: string, names: GraphNames): GraphPart {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let current = input;
  head.layers.forEach((layer, index) => {
    const { weights, bias } = index === 0 ? withStandardisation(layer, head) : layer;
    const weightName = names.fresh(`head/dense_${index}/weight`);
    const biasName = names.fresh(`head/dense_${index}/bias`);
    initializers.push(floatTensor(weightName, weights, [layer.outputs, layer.inputs]));
    initializers.push(floatTensor(biasName, bias, [layer.outputs]));
    const last = index === head.layers.length - 1;
    const scores = names.fresh(last ? "head/logits" : `head/dense_${index}`);
    nodes.push(node("Gemm", [current, weightName, biasName], [scores], names, { transB: { int: 1 } }));
    if (last) {
      nodes.push(node("Softmax", [scores], [output], names, { axis: { int: 1 } }));
    } else {
      current = names.fresh(`head/relu_${index}`);
      nodes.push(node("Relu", [scores], [current], names));
    }
  });
  return { nodes, initializers, output };
}

/** The first layer with the standardisation folded in, computed in float64 then rounded once. */
function withStandardisation(layer: DenseLayer, head: HeadWeights): Pick<DenseLayer, "weights" | "bias"> {
  const weights = new Float32Array(layer.weights.length);
  const bias = new Float32Array(layer.outputs);
  for (let row = 0; row < layer.outputs; row++) {
    let shift = 0;
    for (let column = 0; column < layer.inputs; column++) {
      const scaled = layer.weights[row * layer.inputs + column]! * head.inputScale[column]!;
      weights[row * layer.inputs + column] = scaled;
      shift += scaled * head.inputMean[column]!;
    }
    bias[row] = layer.bias[row]! - shift;
  }
  return { weights, bias };
}

function node(
  op: string,
  inputs: string[],
  outputs: string[],
  names: GraphNames,
  attributes: Record<string, Parameters<typeof encodeAttribute>[1]> = {},
): onnx.INodeProto {
  return {
    name: names.fresh(`head/${op}`),
    opType: op,
    domain: "",
    input: inputs,
    output: outputs,
    attribute: Object.entries(attributes).map(([name, value]) => encodeAttribute(name, value)),
  };
}

function floatTensor(name: string, values: Float32Array, dims: number[]): onnx.ITensorProto {
  return { name, dims, dataType: elementTypeCode("float32"), rawData: bytesOf(values) };
}

/** ONNX raw data is little-endian, as typed arrays are on every platform Node runs on here. */
function bytesOf(values: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}
