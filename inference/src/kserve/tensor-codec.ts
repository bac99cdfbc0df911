import type { InferParameter } from "@tessera/proto/generated/inference/InferParameter";
import type { InferTensorContents__Output } from "@tessera/proto/generated/inference/InferTensorContents";
import type { _inference_ModelInferRequest_InferInputTensor__Output as InferInputTensor } from "@tessera/proto/generated/inference/ModelInferRequest";
import type { _inference_ModelInferResponse_InferOutputTensor as InferOutputTensor } from "@tessera/proto/generated/inference/ModelInferResponse";
import { limits } from "../limits";
import { invalidArgument } from "../runtime/errors";
import { markPrivate } from "../runtime/private-buffers";
import type { Tensor, TensorDataType, TensorValues } from "../runtime/model-runner";
import {
  arrayFor,
  bytesPerElement,
  dataTypeOfWire,
  elementCount,
  formatShape,
  isNumericDataType,
  wireDataType,
} from "../runtime/tensor-types";

type ContentsField = Exclude<keyof InferTensorContents__Output, "bytes_contents">;

/** Which `contents` field carries each datatype (FP16 and BF16 can only travel raw). */
const contentsFields: Partial<Record<TensorDataType, ContentsField>> = {
  BOOL: "bool_contents",
  INT8: "int_contents",
  INT16: "int_contents",
  INT32: "int_contents",
  INT64: "int64_contents",
  UINT8: "uint_contents",
  UINT16: "uint_contents",
  UINT32: "uint_contents",
  UINT64: "uint64_contents",
  FLOAT32: "fp32_contents",
  FLOAT64: "fp64_contents",
};

const allContentsFields = [...Object.values(contentsFields), "bytes_contents"] as const;

/**
 * Inputs whose bytes are not in the message: Triton's system shared memory (shared-memory-tensors.ts).
 * The codec checks their datatype, shape and size like any input's, then hands them over.
 */
export interface ExternalInputs {
  /** Whether the input's parameters place it elsewhere (throws on malformed parameters). */
  holds(input: InferInputTensor): boolean;
  /** Takes an input it holds, after the codec's checks; its tensor comes later, from the holder. */
  add(input: InferInputTensor, dataType: TensorDataType, shape: number[], byteLength: number): void;
}

const inMessageOnly: ExternalInputs = {
  holds: () => false,
  add: () => {},
};

/**
 * The inputs of a ModelInferRequest as tensors, from `raw_input_contents` or from each input's
 * typed `contents` — never both. As in Triton, `raw_input_contents` has one entry per input that
 * `external` does not hold, in order; the held ones are only checked here and left out of the
 * answer. A shape of more than `maxTensorBytes` is refused before any value is read or copied.
 */
export function decodeInputs(
  inputs: InferInputTensor[],
  raw: Buffer[],
  maxTensorBytes: number,
  external: ExternalInputs = inMessageOnly,
): Record<string, Tensor> {
  const held = inputs.map((input) => external.holds(input));
  const hasContents = (input: InferInputTensor) =>
    allContentsFields.some((field) => input.contents?.[field]?.length);
  const heldWithContents = inputs.find((input, index) => held[index] && hasContents(input));
  if (heldWithContents) {
    throw invalidArgument(
      `input "${heldWithContents.name}" has contents but is placed in shared memory; use one or the other`,
    );
  }
  const inMessage = inputs.filter((_, index) => !held[index]);
  const withContents = inMessage.find(hasContents);
  if (raw.length > 0 && withContents) {
    throw invalidArgument(
      `input "${withContents.name}" has contents but the request also has raw_input_contents; use one or the other`,
    );
  }
  if (raw.length > 0 && raw.length !== inMessage.length) {
    const counted = inMessage.length === inputs.length ? "" : " outside shared memory";
    throw invalidArgument(
      `the request has ${inMessage.length} inputs${counted} but ${raw.length} raw_input_contents entries; expected one per input${counted}`,
    );
  }
  const tensors: Record<string, Tensor> = {};
  const seen = new Set<string>();
  let rawIndex = 0;
  inputs.forEach((input, index) => {
    if (seen.has(input.name)) throw invalidArgument(`input "${input.name}" is given twice`);
    seen.add(input.name);
    const dataType = readDataType(input.name, input.datatype);
    if (input.shape.length > limits.tensorRank) {
      throw invalidArgument(
        `input "${input.name}" has ${input.shape.length} dimensions; at most ${limits.tensorRank} are allowed`,
      );
    }
    const shape = input.shape.map(Number);
    if (shape.some((dim) => !Number.isSafeInteger(dim) || dim < 0)) {
      throw invalidArgument(
        `input "${input.name}" has shape ${formatShape(shape)}; dimensions must be 0 or more`,
      );
    }
    const bytes = elementCount(shape) * bytesPerElement(dataType);
    if (bytes > maxTensorBytes) {
      throw invalidArgument(
        `input "${input.name}" has shape ${formatShape(shape)}, ${bytes} bytes of ${wireDataType(dataType)}; ` +
          `at most ${maxTensorBytes} bytes are allowed per input (INFERENCE_MAX_TENSOR_BYTES)`,
      );
    }
    if (held[index]) external.add(input, dataType, shape, bytes);
    else
      tensors[input.name] =
        raw.length > 0
          ? requestTensorFromRaw(`input "${input.name}"`, dataType, shape, raw[rawIndex++]!)
          : tensorFromContents(input.name, dataType, shape, input.contents);
  });
  return tensors;
}

function readDataType(name: string, datatype: string): TensorDataType {
  const dataType = dataTypeOfWire(datatype);
  if (dataType && isNumericDataType(dataType)) return dataType;
  const what = dataType ? "which this tier does not carry" : "which is not a KServe v2 datatype";
  throw invalidArgument(`input "${name}" has datatype "${datatype}", ${what}`);
}

/**
 * A tensor over raw little-endian bytes. The bytes are viewed in place when aligned for the type,
 * copied otherwise (a protobuf field may start at any offset of the message buffer).
 */
export function tensorFromRaw(
  what: string,
  dataType: TensorDataType,
  shape: number[],
  bytes: Uint8Array,
): Tensor {
  const size = bytesPerElement(dataType);
  const expected = elementCount(shape) * size;
  if (bytes.byteLength !== expected) {
    throw invalidArgument(
      `${what} has ${bytes.byteLength} bytes of raw contents; shape ${formatShape(shape)} of ` +
        `${wireDataType(dataType)} needs ${expected}`,
    );
  }
  const array = arrayFor(dataType);
  // new Uint8Array copies (Buffer#slice would only make another view at the same offset).
  const aligned = bytes.byteOffset % size === 0 ? bytes : new Uint8Array(bytes);
  return {
    dataType,
    shape,
    data: new array(aligned.buffer as ArrayBuffer, aligned.byteOffset, expected / size) as TensorValues,
  };
}

/**
 * An input of a ModelInfer request. When its bytes had to be copied to be aligned, the copy is this
 * request's alone: a batch of just this request may then send it to the session worker as it is.
 */
function requestTensorFromRaw(
  what: string,
  dataType: TensorDataType,
  shape: number[],
  bytes: Buffer,
): Tensor {
  const tensor = tensorFromRaw(what, dataType, shape, bytes);
  if (tensor.data.buffer !== bytes.buffer) markPrivate(tensor.data.buffer as ArrayBuffer);
  return tensor;
}

function tensorFromContents(
  name: string,
  dataType: TensorDataType,
  shape: number[],
  contents: InferTensorContents__Output | null,
): Tensor {
  const field = contentsFields[dataType];
  if (!field) {
    throw invalidArgument(
      `input "${name}" is ${wireDataType(dataType)}, which travels only in raw_input_contents`,
    );
  }
  const misplaced = allContentsFields.find((other) => other !== field && contents?.[other]?.length);
  if (misplaced) {
    throw invalidArgument(
      `input "${name}" is ${wireDataType(dataType)}, whose values go in contents.${field}, but they are in contents.${misplaced}`,
    );
  }
  const values = (contents?.[field] ?? []) as Array<number | boolean>;
  const expected = elementCount(shape);
  if (values.length !== expected) {
    throw invalidArgument(
      `input "${name}" has ${values.length} values in contents.${field}; shape ${formatShape(shape)} needs ${expected}`,
    );
  }
  const array = arrayFor(dataType);
  const data =
    dataType === "INT64" || dataType === "UINT64"
      ? (array as BigInt64ArrayConstructor).from(values as number[], (value) => BigInt(value))
      : (array as Float64ArrayConstructor).from(values as number[], Number);
  return { dataType, shape, data: data as TensorValues };
}

/** The tensor's bytes as a Buffer over the same memory (no copy). */
export function rawBytes(tensor: Tensor): Buffer {
  return Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
}

/**
 * Outputs as Triton answers by default: metadata in `outputs`, data in `raw_output_contents`. An
 * output written to shared memory has its placement in `parameters` and, as in Triton, an empty
 * `raw_output_contents` entry, so entries stay one per output.
 */
export function encodeOutputs(
  outputs: Record<string, Tensor>,
  inSharedMemory: ReadonlyMap<string, Record<string, InferParameter>> = new Map(),
): {
  outputs: InferOutputTensor[];
  raw_output_contents: Buffer[];
} {
  const entries = Object.entries(outputs);
  return {
    outputs: entries.map(([name, tensor]) => ({
      name,
      datatype: wireDataType(tensor.dataType),
      shape: tensor.shape,
      ...(inSharedMemory.has(name) && { parameters: inSharedMemory.get(name) }),
    })),
    raw_output_contents: entries.map(([name, tensor]) =>
      inSharedMemory.has(name) ? Buffer.alloc(0) : rawBytes(tensor),
    ),
  };
}
