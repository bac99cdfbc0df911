import type { ModelRepository } from "./model-repository";
import type { ModelDescription, ModelRunner, RunOptions, Tensor } from "./model-runner";
import { validateInputs, validateRequestedOutputs } from "./tensor-validation";

export interface RunAnswer {
  /** The version that answered (the newest READY one when none was named). */
  model: ModelDescription;
  outputs: Record<string, Tensor>;
}

/**
 * The one path inference takes, for ModelInfer and the task services alike: pick the version,
 * check the request against it, then queue it in that version's batcher (or send it to Triton).
 */
export class TierModelRunner implements ModelRunner {
  constructor(private readonly repository: ModelRepository) {}

  describe(name: string, version?: string): ModelDescription {
    return this.repository.resolve(name, version).description;
  }

  async infer(
    name: string,
    version: string | undefined,
    inputs: Record<string, Tensor>,
    options: RunOptions = {},
  ): Promise<Record<string, Tensor>> {
    return (await this.run(name, version, inputs, options)).outputs;
  }

  async run(
    name: string,
    version: string | undefined,
    inputs: Record<string, Tensor>,
    options: RunOptions = {},
  ): Promise<RunAnswer> {
    const model = this.repository.resolve(name, version);
    validateInputs(model.description, inputs);
    const requested = options.outputs ?? [];
    validateRequestedOutputs(model.description, requested);
    const outputs = await model.infer(inputs, requested, options.signal);
    return { model: model.description, outputs };
  }
}
