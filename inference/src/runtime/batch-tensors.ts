import { internal } from "./errors";
import type { Tensor, TensorValues } from "./model-runner";
import { allocate, elementCount, formatShape } from "./tensor-types";

/**
 * Merges the inputs of several requests along dimension 0 into fresh arrays. The copy is the one
 * the tier cannot avoid: request data sits in gRPC message buffers (shared, unaligned), while the
 * merged arrays belong to the batch alone and can be transferred to the session worker as they are.
 */
export function concatenate(requests: ReadonlyArray<Record<string, Tensor>>, names: readonly string[]) {
  const merged: Record<string, Tensor> = {};
  for (const name of names) {
    const parts = requests.map((request) => request[name]!);
    const first = parts[0]!;
    const data = allocate(
      first.dataType,
      parts.reduce((sum, part) => sum + part.data.length, 0),
    );
    let offset = 0;
    for (const part of parts) {
      (data as Float32Array).set(part.data as Float32Array, offset);
      offset += part.data.length;
    }
    const rows = parts.reduce((sum, part) => sum + (part.shape[0] ?? 1), 0);
    merged[name] = { dataType: first.dataType, shape: [rows, ...first.shape.slice(1)], data };
  }
  return merged;
}

/** A copy of one request's inputs for a model without a batch dimension. */
export function copyInputs(request: Record<string, Tensor>): Record<string, Tensor> {
  const copied: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(request)) {
    copied[name] = { ...tensor, shape: [...tensor.shape], data: tensor.data.slice() as TensorValues };
  }
  return copied;
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
