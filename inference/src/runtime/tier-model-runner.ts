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
  /** Requests inside a version's batcher or session, by "name\u0000version": the tier's load. */
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly repository: ModelRepository) {}

  /** Requests for the version accepted and not answered yet, queued ones included. */
  inFlightOf(name: string, version: string): number {
    return this.inFlight.get(loadKey(name, version)) ?? 0;
  }

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
    const key = loadKey(model.description.name, model.description.version);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    try {
      const outputs = await model.infer(inputs, requested, options.signal);
      return { model: model.description, outputs };
    } finally {
      const left = this.inFlight.get(key)! - 1;
      if (left === 0) this.inFlight.delete(key);
      else this.inFlight.set(key, left);
    }
  }
}

const loadKey = (name: string, version: string) => `${name}\u0000${version}`;
