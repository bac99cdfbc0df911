import { internal } from "./errors";
import type { InputBuffers } from "./input-buffers";
import type { Tensor, TensorDataType, TensorValues } from "./model-runner";
import { arrayFor, bytesPerElement, elementCount, formatShape } from "./tensor-types";

/**
 * Merges the inputs of several requests along dimension 0, each input into a buffer of its own
 * taken from `buffers`. The copy is the one the tier cannot avoid: request data sits in gRPC
 * message buffers (shared, unaligned), while the merged arrays belong to the batch alone and can be
 * transferred to the session worker as they are. Bytes are copied as bytes, so any numeric type
 * merges the same way.
 */
export function concatenate(
  requests: ReadonlyArray<Record<string, Tensor>>,
  names: readonly string[],
  buffers: InputBuffers,
): Record<string, Tensor> {
  const merged: Record<string, Tensor> = {};
  for (const name of names) {
    const parts = requests.map((request) => request[name]!);
    const first = parts[0]!;
    const length = parts.reduce((sum, part) => sum + part.data.length, 0);
    const data = view(first.dataType, buffers.take(length * bytesPerElement(first.dataType)), length);
    const target = new Uint8Array(data.buffer, 0, data.byteLength);
    let offset = 0;
    for (const part of parts) {
      target.set(bytesOf(part.data), offset);
      offset += part.data.byteLength;
    }
    const rows = parts.reduce((sum, part) => sum + (part.shape[0] ?? 1), 0);
    merged[name] = { dataType: first.dataType, shape: [rows, ...first.shape.slice(1)], data };
  }
  return merged;
}

/** A copy of one request's inputs for a model without a batch dimension. */
export function copyInputs(request: Record<string, Tensor>, buffers: InputBuffers): Record<string, Tensor> {
  const copied: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(request)) {
    const data = view(tensor.dataType, buffers.take(tensor.data.byteLength), tensor.data.length);
    new Uint8Array(data.buffer, 0, data.byteLength).set(bytesOf(tensor.data));
    copied[name] = { ...tensor, shape: [...tensor.shape], data };
  }
  return copied;
}

/** The distinct buffers under `tensors`' data, e.g. to transfer them to another thread. */
export function buffersOf(tensors: Iterable<Tensor>): ArrayBuffer[] {
  return [...new Set([...tensors].map((tensor) => tensor.data.buffer as ArrayBuffer))];
}

function view(dataType: TensorDataType, buffer: ArrayBuffer, length: number): TensorValues {
  return new (arrayFor(dataType))(buffer, 0, length) as TensorValues;
}

function bytesOf(values: TensorValues): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Splits batch outputs back into one set per request, in order, as views on the batch's buffers
 * (no copy). Every output must have the batch size as its first dimension.
 */
export function splitOutputs(
  outputs: Record<string, Tensor>,
  rows: readonly number[],
): Array<Record<string, Tensor>> {
  const total = rows.reduce((sum, count) => sum + count, 0);
  const parts = rows.map(() => ({}) as Record<string, Tensor>);
  for (const [name, tensor] of Object.entries(outputs)) {
    if (tensor.shape[0] !== total) {
      throw internal(
        `output "${name}" came back with shape ${formatShape(tensor.shape)}; a batch of ${total} needs ${total} as its first dimension`,
      );
    }
    const rowElements = elementCount(tensor.shape.slice(1));
    let start = 0;
    rows.forEach((count, index) => {
      const data = tensor.data.subarray(start * rowElements, (start + count) * rowElements) as TensorValues;
      parts[index]![name] = { dataType: tensor.dataType, shape: [count, ...tensor.shape.slice(1)], data };
      start += count;
    });
  }
  return parts;
}
