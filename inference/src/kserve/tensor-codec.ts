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
 * The inputs of a ModelInferRequest as tensors, from `raw_input_contents` (one entry per input,
 * in order) or from each input's typed `contents` — never both. A shape of more than
 * `maxTensorBytes` is refused before any value is read or copied.
 */
export function decodeInputs(
  inputs: InferInputTensor[],
  raw: Buffer[],
  maxTensorBytes: number,
): Record<string, Tensor> {
  const withContents = inputs.find((input) =>
    allContentsFields.some((field) => input.contents?.[field]?.length),
  );
  if (raw.length > 0 && withContents) {
    throw invalidArgument(
      `input "${withContents.name}" has contents but the request also has raw_input_contents; use one or the other`,
    );
  }
  if (raw.length > 0 && raw.length !== inputs.length) {
    throw invalidArgument(
      `the request has ${inputs.length} inputs but ${raw.length} raw_input_contents entries; expected one per input`,
    );
  }
  const tensors: Record<string, Tensor> = {};
  inputs.forEach((input, index) => {
    if (tensors[input.name]) throw invalidArgument(`input "${input.name}" is given twice`);
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
    tensors[input.name] =
      raw.length > 0
        ? requestTensorFromRaw(`input "${input.name}"`, dataType, shape, raw[index]!)
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

/** Outputs as Triton answers by default: metadata in `outputs`, data in `raw_output_contents`. */
export function encodeOutputs(outputs: Record<string, Tensor>): {
  outputs: InferOutputTensor[];
  raw_output_contents: Buffer[];
} {
  const entries = Object.entries(outputs);
  return {
    outputs: entries.map(([name, tensor]) => ({
      name,
      datatype: wireDataType(tensor.dataType),
      shape: tensor.shape,
    })),
    raw_output_contents: entries.map(([, tensor]) => rawBytes(tensor)),
  };
}
