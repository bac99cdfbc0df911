import { open } from "node:fs/promises";
import path from "node:path";
import onnxProto, { type onnx } from "onnx-proto";
import { checkLoadsInOnnxRuntime, elementTypeOfCode, type TensorElementType } from "@tessera/onnx";

const { ModelProto } = onnxProto.onnx;

/**
 * A tensor element type in upper case ("FLOAT32", "INT64"); non-tensor values are named by their
 * kind, and "UNDEFINED" stands for a type the file does not declare or this code does not know.
 */
export type OnnxDataType =
  Uppercase<TensorElementType> | "SEQUENCE" | "MAP" | "OPTIONAL" | "SPARSE_TENSOR" | "UNDEFINED";

/**
 * A dimension is its size when fixed, its name when symbolic ("batch"), and -1 when dynamic
 * without a name. A tensor whose file declares no shape (rank unknown) has [], as a scalar does.
 */
export type OnnxShape = (number | string)[];

export interface TensorInfo {
  name: string;
  dataType: OnnxDataType;
  shape: OnnxShape;
}

export interface OnnxModelSummary {
  valid: true;
  /** Graph inputs fed at run time (initializers listed as inputs by old exporters are left out). */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Shape of the first input / output; null when the graph has none. */
  inputShape: OnnxShape | null;
  outputShape: OnnxShape | null;
  /** Sum of the element counts of the graph's initializers. */
  numParameters: number;
  /** Version of the default ("ai.onnx") operator set; null when the model does not import it. */
  opset: number | null;
  irVersion: number;
  producer: string;
  producerVersion: string;
  /** Class names from metadata_props `labels` (or `categories`); empty when absent. */
  labels: string[];
  metadata: Record<string, string>;
}

export type OnnxInspection = OnnxModelSummary | { valid: false; reason: string };

export interface InspectOnnxOptions {
  /** Larger files are reported as not inspected instead of being read; default 1 GiB. */
  maxBytes?: number;
  /** How reasons name the file (e.g. the uploaded file name); default the path's base name. */
  displayName?: string;
  /** Limit for ONNX Runtime to load the model; default 120 s. */
  loadTimeoutMs?: number;
}

const GiB = 1024 ** 3;

/**
 * Reads an ONNX file's graph (inputs, outputs, parameters, opset, labels) and checks that ONNX
 * Runtime can create a session from it. A file that is not a loadable model resolves to
 * `{ valid: false, reason }`; only failures to read the file at all (missing, unreadable) reject.
 *
 * The protobuf is decoded on the caller's thread: tensors stored as raw_data (what exporters
 * write) decode as views, so a 64 MiB model decodes in about a millisecond. The ONNX Runtime
 * check runs in a child process (see checkLoadsInOnnxRuntime) and costs about 0.3 s per file.
 */
export async function inspectOnnx(
  filePath: string,
  options: InspectOnnxOptions = {},
): Promise<OnnxInspection> {
  const maxBytes = options.maxBytes ?? GiB;
  const displayName = options.displayName ?? path.basename(filePath);
  const bytes = await readUpTo(filePath, maxBytes);
  if (bytes === "too large") {
    return {
      valid: false,
      reason: `${displayName} is larger than ${maxBytes} bytes, the limit for ONNX inspection; it was not inspected`,
    };
  }
  if (bytes.length === 0) {
    return {
      valid: false,
      reason: `${displayName} is empty; expected an ONNX model (a serialized ModelProto)`,
    };
  }
  let summary: OnnxModelSummary;
  try {
    const model = ModelProto.decode(bytes);
    if (!model.graph) {
      return { valid: false, reason: `${displayName} decodes as protobuf but holds no ONNX graph` };
    }
    summary = summarize(model, model.graph);
  } catch (error) {
    return { valid: false, reason: `${displayName} is not an ONNX model: ${(error as Error).message}` };
  }
  const check = await checkLoadsInOnnxRuntime(filePath, { displayName, timeoutMs: options.loadTimeoutMs });
  if (!check.loaded) {
    return { valid: false, reason: `ONNX Runtime cannot load ${displayName}: ${check.reason}` };
  }
  return summary;
}

/** The whole file, or "too large" without reading it when it exceeds maxBytes. */
async function readUpTo(filePath: string, maxBytes: number): Promise<Buffer | "too large"> {
  const file = await open(filePath, "r");
  try {
    const { size } = await file.stat();
    if (size > maxBytes) return "too large";
    return await file.readFile();
  } finally {
    await file.close();
  }
}

function summarize(model: onnx.ModelProto, graph: onnx.IGraphProto): OnnxModelSummary {
  const initializers = graph.initializer ?? [];
  const initializerNames = new Set(initializers.map((tensor) => tensor.name));
  const inputs = (graph.input ?? [])
    .filter((input) => !initializerNames.has(input.name ?? ""))
    .map(tensorInfo);
  const outputs = (graph.output ?? []).map(tensorInfo);
  const metadata = Object.fromEntries(
    (model.metadataProps ?? []).map((entry) => [entry.key ?? "", entry.value ?? ""]),
  );
  const defaultOpset = model.opsetImport.find((entry) => !entry.domain || entry.domain === "ai.onnx");
  return {
    valid: true,
    inputs,
    outputs,
    inputShape: inputs[0]?.shape ?? null,
    outputShape: outputs[0]?.shape ?? null,
    numParameters: initializers.reduce((sum, tensor) => sum + elementCount(tensor.dims ?? []), 0),
    opset: defaultOpset ? toNumber(defaultOpset.version ?? 0) : null,
    irVersion: toNumber(model.irVersion),
    producer: model.producerName,
    producerVersion: model.producerVersion,
    labels:
      metadata.labels || metadata.categories
        ? parseLabels(metadata.labels || metadata.categories)
        : ultralyticsNames(metadata.names),
    metadata,
  };
}

function tensorInfo(value: onnx.IValueInfoProto): TensorInfo {
  const type = value.type;
  const name = value.name ?? "";
  if (type?.tensorType) {
    const { elemType, shape } = type.tensorType;
    const elementType = elementTypeOfCode(elemType ?? 0);
    return {
      name,
      dataType: elementType ? (elementType.toUpperCase() as Uppercase<TensorElementType>) : "UNDEFINED",
      shape: (shape?.dim ?? []).map(dimension),
    };
  }
  return { name, dataType: nonTensorKind(type), shape: [] };
}

function nonTensorKind(type: onnx.ITypeProto | null | undefined): OnnxDataType {
  if (type?.sequenceType) return "SEQUENCE";
  if (type?.mapType) return "MAP";
  if (type?.optionalType) return "OPTIONAL";
  if (type?.sparseTensorType) return "SPARSE_TENSOR";
  return "UNDEFINED";
}

function dimension(dim: onnx.TensorShapeProto.IDimension): number | string {
  // A decoded message reads unset fields as defaults (0, ""), so ask which member of the oneof is set.
  const set = (dim as onnx.TensorShapeProto.Dimension).value;
  if (set === "dimValue" && dim.dimValue != null) return toNumber(dim.dimValue);
  if (set === "dimParam" && dim.dimParam) return dim.dimParam;
  return -1;
}

/** int64 fields decode as Long objects when the `long` package is present, as numbers otherwise. */
function toNumber(value: number | { toNumber(): number }): number {
  return typeof value === "number" ? value : value.toNumber();
}

function elementCount(dims: (number | { toNumber(): number })[]): number {
  return dims.reduce<number>((product, dim) => product * toNumber(dim), 1);
}

/** A JSON array, a JSON object keyed by class index, or a comma-separated list. */
export function parseLabels(raw: string | undefined): string[] {
  const text = raw?.trim();
  if (!text) return [];
  if (text.startsWith("[") || text.startsWith("{")) {
    try {
      return labelsFromJson(JSON.parse(text));
    } catch {
      // Not JSON after all (a label may start with a bracket): read it as a list.
    }
  }
  return text
    .split(",")
    .map((label) => label.trim())
    .filter(Boolean);
}

/**
 * Ultralytics exports (YOLOv8 and later) name their classes in metadata `names` as a Python dict's
 * repr, `{0: 'person', 1: "bicycle's"}`: read by index; empty when absent or not of that form.
 */
export function ultralyticsNames(raw: string | undefined): string[] {
  const entries = [...(raw ?? "").matchAll(/(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)];
  if (entries.length === 0) return [];
  const labels: string[] = [];
  for (const [, index, single, double] of entries) {
    labels[Number(index)] = (single ?? double ?? "").replace(/\\(.)/g, "$1");
  }
  return Array.from(labels, (label, index) => label ?? `class_${index}`);
}

function labelsFromJson(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.every(([key]) => /^\d+$/.test(key))) {
      return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, label]) => String(label));
    }
  }
  throw new Error("labels JSON is neither an array nor an index-keyed object");
}
