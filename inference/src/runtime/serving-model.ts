import type { ModelSettings, TensorConfig } from "./model-config";
import type { ModelDescription, Tensor } from "./model-runner";
import { ModelLoadError, type ModelSignature } from "./model-signature";
import type { VersionStatistics } from "./model-statistics";

/** A model version that answers: run by the tier's own sessions or forwarded to Triton. */
export interface ServingModel {
  readonly description: ModelDescription;
  /** The configuration as given, and what it became once completed from the model. */
  readonly settings: ModelSettings;
  readonly signature: ModelSignature;
  readonly statistics: VersionStatistics;
  /** Runs validated inputs; `outputs` lists the outputs wanted (empty: all). */
  infer(
    inputs: Record<string, Tensor>,
    outputs: readonly string[],
    signal?: AbortSignal,
  ): Promise<Record<string, Tensor>>;
  /** Requests waiting for an instance. */
  queueLength(): number;
  /** Finishes what was accepted, then releases the model. */
  close(): Promise<void>;
}

/**
 * What the task services see of a version; the embedding output must be one the version serves.
 * `inputFeatures` comes from the model file's metadata, where the tier holds the file.
 */
export function describeModel(
  settings: ModelSettings,
  signature: ModelSignature,
  version: string,
  inputFeatures?: string,
): ModelDescription {
  const { tessera } = settings;
  if (
    tessera.embeddingOutput &&
    !signature.outputs.some((output) => output.name === tessera.embeddingOutput)
  ) {
    throw new ModelLoadError(
      `parameter "tessera.embedding_output" names "${tessera.embeddingOutput}", which is not an output of the model ` +
        `(${signature.outputs.map((output) => `"${output.name}"`).join(", ")})`,
    );
  }
  const spec = (tensor: TensorConfig) => ({
    name: tensor.name,
    dataType: tensor.dataType,
    shape: [...tensor.dims],
  });
  return {
    name: settings.name,
    version,
    platform: settings.platform,
    maxBatchSize: signature.maxBatchSize,
    inputs: signature.inputs.map(spec),
    outputs: signature.outputs.map(spec),
    task: tessera.task,
    labels: tessera.labels,
    preprocessing: tessera.preprocessing,
    embeddingOutput: tessera.embeddingOutput,
    ...(inputFeatures && { inputFeatures }),
  };
}
