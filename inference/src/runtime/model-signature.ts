import type { DynamicBatchingSettings, ModelSettings, TensorConfig } from "./model-config";
import { configDataType, dataTypeOfOrt, formatShape, isNumericDataType } from "./tensor-types";

/** An input or output as onnxruntime describes it: symbolic dimensions are names, unknown rank is []. */
export interface SessionValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: ReadonlyArray<number | string>;
}

export interface SessionMetadata {
  inputs: SessionValueMetadata[];
  outputs: SessionValueMetadata[];
}

/** What a model version serves once its configuration is completed from the file. */
export interface ModelSignature {
  maxBatchSize: number;
  inputs: TensorConfig[];
  outputs: TensorConfig[];
  dynamicBatching: DynamicBatchingSettings | null;
  /** Outputs of the file left out because the tier cannot carry them (maps, sequences, strings). */
  skippedOutputs: string[];
}

/** Why a model file cannot be served with its configuration; becomes the version's FAILED reason. */
export class ModelLoadError extends Error {
  override name = "ModelLoadError";
}

interface ModelTensor {
  name: string;
  config: TensorConfig | null;
  /** Full shape with -1 for dynamic dimensions, batch included. */
  shape: number[];
  reason: string | null;
}

/**
 * Completes a configuration from the session's metadata the way Triton's auto-complete does, and
 * checks what the configuration states against the file.
 */
export function completeSignature(
  settings: ModelSettings,
  metadata: SessionMetadata,
  defaultMaxBatchSize: number,
): ModelSignature {
  const inputs = metadata.inputs.map(toModelTensor);
  const outputs = metadata.outputs.map(toModelTensor);
  const unusable = inputs.find((input) => input.reason);
  if (unusable) throw new ModelLoadError(`input "${unusable.name}" ${unusable.reason}`);
  const servedOutputs = outputs.filter(
    (output) => !output.reason && (!settings.outputs || settings.outputs.some((o) => o.name === output.name)),
  );
  if (servedOutputs.length === 0)
    throw new ModelLoadError("the model has no tensor output the tier can return");

  const notBatchable = [...inputs, ...servedOutputs].find((tensor) => tensor.shape[0] !== -1);
  const maxBatchSize = settings.maxBatchSize ?? (notBatchable ? 0 : defaultMaxBatchSize);
  if (maxBatchSize > 0 && notBatchable) {
    throw new ModelLoadError(
      `max_batch_size ${maxBatchSize} needs a dynamic first dimension on every input and output, but ` +
        `"${notBatchable.name}" has shape ${formatShape(notBatchable.shape)}; set max_batch_size to 0`,
    );
  }
  const batchDims = maxBatchSize > 0 ? 1 : 0;
  const derived = (tensor: ModelTensor): TensorConfig => ({
    ...tensor.config!,
    dims: tensor.shape.slice(batchDims),
  });
  const dynamicBatching =
    settings.dynamicBatching ??
    (settings.maxBatchSize === null && maxBatchSize > 0
      ? { preferredBatchSizes: [], maxQueueDelayMicroseconds: 0 }
      : null);
  const tooLarge = dynamicBatching?.preferredBatchSizes.find((size) => size > maxBatchSize);
  if (tooLarge !== undefined) {
    throw new ModelLoadError(`preferred_batch_size ${tooLarge} is over the max_batch_size ${maxBatchSize}`);
  }
  return {
    maxBatchSize,
    inputs: settings.inputs
      ? checkConfigured("input", settings.inputs, inputs, batchDims, true)
      : inputs.map(derived),
    outputs: settings.outputs
      ? checkConfigured("output", settings.outputs, outputs, batchDims, false)
      : servedOutputs.map(derived),
    dynamicBatching,
    skippedOutputs: outputs.filter((output) => output.reason).map((output) => output.name),
  };
}

function toModelTensor(value: SessionValueMetadata): ModelTensor {
  const dataType = value.isTensor && value.type ? dataTypeOfOrt(value.type) : undefined;
  const shape = (value.shape ?? []).map((dim) => (typeof dim === "number" && dim >= 0 ? dim : -1));
  if (!dataType || !isNumericDataType(dataType)) {
    const what = value.isTensor ? `a ${value.type} tensor` : "not a tensor (a map or sequence)";
    return { name: value.name, config: null, shape, reason: `is ${what}, which the tier cannot carry` };
  }
  return { name: value.name, config: { name: value.name, dataType, dims: shape }, shape, reason: null };
}

/** Each configured tensor must exist in the file with its type and compatible dimensions. */
function checkConfigured(
  kind: "input" | "output",
  configured: TensorConfig[],
  inFile: ModelTensor[],
  batchDims: number,
  allRequired: boolean,
): TensorConfig[] {
  for (const tensor of configured) {
    const actual = inFile.find((candidate) => candidate.name === tensor.name);
    if (!actual) {
      const names = inFile.map((candidate) => `"${candidate.name}"`).join(", ");
      throw new ModelLoadError(
        `config ${kind} "${tensor.name}" is not in the model, whose ${kind}s are ${names}`,
      );
    }
    if (actual.reason) throw new ModelLoadError(`${kind} "${tensor.name}" ${actual.reason}`);
    if (actual.config!.dataType !== tensor.dataType) {
      throw new ModelLoadError(
        `config ${kind} "${tensor.name}" is ${configDataType(tensor.dataType)} but the model's is ` +
          configDataType(actual.config!.dataType),
      );
    }
    const fileDims = actual.shape.slice(batchDims);
    const fits =
      fileDims.length === tensor.dims.length &&
      fileDims.every((dim, index) => dim === -1 || tensor.dims[index] === -1 || dim === tensor.dims[index]);
    if (!fits) {
      throw new ModelLoadError(
        `config ${kind} "${tensor.name}" has dims ${formatShape(tensor.dims)} but the model's are ` +
          `${formatShape(fileDims)}${batchDims ? " (after the batch dimension)" : ""}`,
      );
    }
  }
  const missing = allRequired && inFile.find((tensor) => !configured.some((c) => c.name === tensor.name));
  if (missing) throw new ModelLoadError(`the model's ${kind} "${missing.name}" is missing from the config`);
  return configured;
}
