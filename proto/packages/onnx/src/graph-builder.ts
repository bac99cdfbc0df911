import onnxProto, { type onnx } from "onnx-proto";
import { encodeAttribute, type AttributeValue } from "./attributes";
import { elementTypeCode, type TensorElementType } from "./element-types";
import { initializerElementType, type InitializerData } from "./initializer-data";

const { ModelProto } = onnxProto.onnx;

/** A fixed size, or the name of a symbolic dimension such as "batch". */
export type Dimension = number | string;

export interface ModelOptions {
  /** Name of the main graph. */
  graphName?: string;
  producerName?: string;
  producerVersion?: string;
  /** ONNX IR version; onnx-proto encodes up to 8 (ONNX 1.10) faithfully. */
  irVersion?: number;
  /** Version of the default "ai.onnx" operator set. */
  opset?: number;
  docString?: string;
}

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, AttributeValue>>;
  /** Defaults to `<op>_<index>`, which onnxruntime quotes in its errors. */
  name?: string;
  /** Operator domain; "" is ai.onnx. */
  domain?: string;
}

const defaults = {
  graphName: "main",
  producerName: "tessera",
  producerVersion: "",
  irVersion: 8,
  opset: 13,
  docString: "",
} satisfies Required<ModelOptions>;

/**
 * Builds an ONNX model graph by graph: declare inputs, initializers, nodes and outputs, then
 * `toBytes()`. It checks what it can see locally (shapes of initializers, duplicate names) and
 * leaves graph validation to onnxruntime, so it can also build deliberately broken models.
 */
export class OnnxGraphBuilder {
  private readonly options: Required<ModelOptions>;
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly opsets = new Map<string, number>();
  private readonly metadata = new Map<string, string>();

  constructor(options: ModelOptions = {}) {
    this.options = { ...defaults, ...options };
    this.opsets.set("", this.options.opset);
  }

  /** Declares a graph input; omit `shape` for a tensor of unknown rank. */
  addInput(name: string, elementType: TensorElementType, shape?: readonly Dimension[]): this {
    this.inputs.push(valueInfo(name, elementType, shape));
    return this;
  }

  /** Declares a graph output; omit `shape` for a tensor of unknown rank. */
  addOutput(name: string, elementType: TensorElementType, shape?: readonly Dimension[]): this {
    this.outputs.push(valueInfo(name, elementType, shape));
    return this;
  }

  /**
   * Adds a constant tensor (weights) stored as little-endian raw data. The element type follows
   * the array (Float32Array → float32, BigInt64Array → int64, …); `elementType` picks another
   * type of the same width where one array serves several (Uint8Array → bool, Uint16Array → float16).
   */
  addInitializer(
    name: string,
    data: InitializerData,
    dims: readonly number[],
    elementType?: TensorElementType,
  ): this {
    if (this.initializers.some((tensor) => tensor.name === name)) {
      throw new Error(`Initializer "${name}" is already defined`);
    }
    const count = dims.reduce((product, dim) => product * dim, 1);
    if (count !== data.length) {
      throw new RangeError(
        `Initializer "${name}" has dims [${dims.join(", ")}] (${count} elements) but ${data.length} values were given`,
      );
    }
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: elementTypeCode(initializerElementType(name, data, elementType)),
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
    });
    return this;
  }

  addNode(spec: NodeSpec): this {
    const domain = spec.domain ?? "";
    this.nodes.push({
      name: spec.name ?? `${spec.op}_${this.nodes.length}`,
      opType: spec.op,
      domain,
      input: [...spec.inputs],
      output: [...spec.outputs],
      attribute: Object.entries(spec.attributes ?? {}).map(([name, value]) => encodeAttribute(name, value)),
    });
    return this;
  }

  /** Imports another operator set, e.g. ("com.microsoft", 1); "" replaces the ai.onnx version. */
  addOpsetImport(domain: string, version: number): this {
    this.opsets.set(domain, version);
    return this;
  }

  /** Sets a `metadata_props` entry, replacing an earlier value for the key. */
  setMetadata(key: string, value: string): this {
    this.metadata.set(key, value);
    return this;
  }

  toBytes(): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: this.options.irVersion,
      producerName: this.options.producerName,
      producerVersion: this.options.producerVersion,
      docString: this.options.docString,
      opsetImport: [...this.opsets].map(([domain, version]) => ({ domain, version })),
      metadataProps: [...this.metadata].map(([key, value]) => ({ key, value })),
      graph: {
        name: this.options.graphName,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
        node: this.nodes,
      },
    };
    return ModelProto.encode(model).finish();
  }
}

function valueInfo(
  name: string,
  elementType: TensorElementType,
  shape: readonly Dimension[] | undefined,
): onnx.IValueInfoProto {
  const dims = shape?.map((dim) => (typeof dim === "number" ? { dimValue: dim } : { dimParam: dim }));
  return {
    name,
    type: { tensorType: { elemType: elementTypeCode(elementType), shape: dims ? { dim: dims } : null } },
  };
}
