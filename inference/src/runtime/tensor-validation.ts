import { invalidArgument } from "./errors";
import type { ModelDescription, Tensor, TensorSpec } from "./model-runner";
import { arrayFor, arrayMatches, elementCount, formatShape, wireDataType } from "./tensor-types";

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(", ");

/**
 * Checks a request against the model before it is queued, so a bad request fails alone instead of
 * failing the batch it would have joined. Messages name the tensor, what came and what was expected.
 */
export function validateInputs(model: ModelDescription, inputs: Record<string, Tensor>): void {
  const label = `model "${model.name}"`;
  const expectedNames = model.inputs.map((input) => input.name);
  for (const name of Object.keys(inputs)) {
    if (!expectedNames.includes(name)) {
      throw invalidArgument(`unknown input "${name}"; ${label} takes ${quoted(expectedNames)}`);
    }
  }
  let batch: { name: string; size: number } | null = null;
  for (const spec of model.inputs) {
    const tensor = inputs[spec.name];
    if (!tensor)
      throw invalidArgument(`input "${spec.name}" is missing; ${label} takes ${quoted(expectedNames)}`);
    checkTensor(model, spec, tensor);
    if (model.maxBatchSize === 0) continue;
    const size = tensor.shape[0]!;
    if (batch && batch.size !== size) {
      throw invalidArgument(
        `input "${spec.name}" has batch size ${size} but input "${batch.name}" has ${batch.size}; they must match`,
      );
    }
    batch = { name: spec.name, size };
  }
}

function checkTensor(model: ModelDescription, spec: TensorSpec, tensor: Tensor): void {
  const what = `input "${spec.name}"`;
  if (tensor.dataType !== spec.dataType) {
    throw invalidArgument(
      `${what} has datatype ${wireDataType(tensor.dataType)}; model "${model.name}" expects ${wireDataType(spec.dataType)}`,
    );
  }
  const batched = model.maxBatchSize > 0;
  const expectedShape = batched ? [-1, ...spec.shape] : spec.shape;
  const shape = tensor.shape;
  const fits =
    shape.length === expectedShape.length &&
    shape.every((dim, index) => expectedShape[index] === -1 || expectedShape[index] === dim);
  if (!fits) {
    const batchNote = batched ? ` (batch dimension first, at most ${model.maxBatchSize})` : "";
    throw invalidArgument(
      `${what} has shape ${formatShape(shape)}; expected ${formatShape(expectedShape)}${batchNote}`,
    );
  }
  if (batched && (shape[0]! < 1 || shape[0]! > model.maxBatchSize)) {
    throw invalidArgument(
      `${what} has batch size ${shape[0]}; model "${model.name}" takes 1 to ${model.maxBatchSize} (max_batch_size)`,
    );
  }
  if (!arrayMatches(tensor.dataType, tensor.data)) {
    throw invalidArgument(
      `${what} holds a ${tensor.data.constructor.name}; ${wireDataType(tensor.dataType)} needs a ${arrayFor(tensor.dataType).name}`,
    );
  }
  const count = elementCount(shape);
  if (tensor.data.length !== count) {
    throw invalidArgument(
      `${what} has ${tensor.data.length} values; shape ${formatShape(shape)} needs ${count}`,
    );
  }
}

/** Names of outputs asked for must be outputs of the model, each once. */
export function validateRequestedOutputs(model: ModelDescription, requested: readonly string[]): void {
  const names = model.outputs.map((output) => output.name);
  requested.forEach((name, index) => {
    if (!names.includes(name)) {
      throw invalidArgument(`unknown output "${name}"; model "${model.name}" has ${quoted(names)}`);
    }
    if (requested.indexOf(name) !== index) throw invalidArgument(`output "${name}" is requested twice`);
  });
}
