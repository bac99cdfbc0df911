import * as ort from "onnxruntime-node";
import { invalidArgument, notFound } from "../../../src/runtime/errors";
import type {
  ModelDescription,
  ModelRunner,
  ModelTask,
  Preprocessing,
  RunOptions,
  Tensor,
  TensorDataType,
  TensorSpec,
} from "../../../src/runtime/model-runner";

/** What a test serves: an ONNX file and what the registry would say about it. */
export interface InProcessModel {
  name: string;
  /** Numeric string; default "1". */
  version?: string;
  onnx: Uint8Array;
  task: ModelTask;
  /** 0 → no batch dimension; default 8. */
  maxBatchSize?: number;
  labels?: string[];
  preprocessing?: Preprocessing | null;
  embeddingOutput?: string | null;
}

interface LoadedModel {
  description: ModelDescription;
  session: ort.InferenceSession;
  /** Session runs so far: what a test reads to see how images were batched. */
  runs: number;
}

const ortTypes: Record<string, TensorDataType> = {
  float32: "FLOAT32",
  float64: "FLOAT64",
  float16: "FLOAT16",
  int8: "INT8",
  int16: "INT16",
  int32: "INT32",
  int64: "INT64",
  uint8: "UINT8",
  uint16: "UINT16",
  uint32: "UINT32",
  uint64: "UINT64",
  bool: "BOOL",
  string: "BYTES",
};

/**
 * A real ModelRunner for tests: onnxruntime-node sessions in this process, one run per `infer`
 * (no queue, no worker threads). It describes models the way the runtime does (Triton's
 * convention: the batch dimension left out of the specs when maxBatchSize > 0, -1 for dynamic
 * dimensions) and answers NOT_FOUND and INVALID_ARGUMENT as the runtime does.
 */
export class InProcessRunner implements ModelRunner {
  private readonly models = new Map<string, Map<string, LoadedModel>>();

  static async create(models: readonly InProcessModel[]): Promise<InProcessRunner> {
    const runner = new InProcessRunner();
    for (const model of models) await runner.add(model);
    return runner;
  }

  async add(model: InProcessModel): Promise<void> {
    const session = await ort.InferenceSession.create(model.onnx, { logSeverityLevel: 3 });
    const maxBatchSize = model.maxBatchSize ?? 8;
    const spec = (metadata: ort.InferenceSession.ValueMetadata): TensorSpec => {
      if (!metadata.isTensor) throw new Error(`${model.name}: "${metadata.name}" is not a tensor`);
      const dims = metadata.shape.map((dim) => (typeof dim === "number" && dim > 0 ? dim : -1));
      return {
        name: metadata.name,
        dataType: ortTypes[metadata.type] ?? "BYTES",
        shape: maxBatchSize > 0 ? dims.slice(1) : dims,
      };
    };
    const description: ModelDescription = {
      name: model.name,
      version: model.version ?? "1",
      platform: "onnxruntime_onnx",
      maxBatchSize,
      inputs: session.inputMetadata.map(spec),
      outputs: session.outputMetadata.map(spec),
      task: model.task,
      labels: model.labels ?? [],
      preprocessing: model.preprocessing ?? null,
      embeddingOutput: model.embeddingOutput ?? null,
    };
    const versions = this.models.get(model.name) ?? new Map<string, LoadedModel>();
    versions.set(description.version, { description, session, runs: 0 });
    this.models.set(model.name, versions);
  }

  describe(name: string, version?: string): ModelDescription {
    return this.loaded(name, version).description;
  }

  /** How many session runs a model version has made. */
  runsOf(name: string, version?: string): number {
    return this.loaded(name, version).runs;
  }

  async infer(
    name: string,
    version: string | undefined,
    inputs: Record<string, Tensor>,
    options: RunOptions = {},
  ): Promise<Record<string, Tensor>> {
    const model = this.loaded(name, version);
    options.signal?.throwIfAborted();
    const feeds: Record<string, ort.Tensor> = {};
    for (const spec of model.description.inputs) {
      const tensor = inputs[spec.name];
      if (!tensor) throw invalidArgument(`Input "${spec.name}" is missing`);
      feeds[spec.name] = new ort.Tensor(
        tensor.dataType.toLowerCase() as "float32",
        tensor.data as Float32Array,
        tensor.shape,
      );
    }
    const wanted = options.outputs?.length
      ? options.outputs
      : model.description.outputs.map((spec) => spec.name);
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await model.session.run(feeds, wanted);
    } catch (error) {
      throw invalidArgument(
        `The model could not run: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    model.runs++;
    return Object.fromEntries(
      wanted.map((outputName) => {
        const value = results[outputName]!;
        return [
          outputName,
          {
            dataType: ortTypes[value.type] ?? "BYTES",
            shape: [...value.dims],
            data: value.data as Tensor["data"],
          },
        ];
      }),
    );
  }

  async close(): Promise<void> {
    for (const versions of this.models.values()) {
      for (const model of versions.values()) await model.session.release();
    }
    this.models.clear();
  }

  private loaded(name: string, version?: string): LoadedModel {
    const versions = this.models.get(name);
    if (!versions) throw notFound(`Model "${name}" is not loaded`);
    const chosen = version || String(Math.max(...[...versions.keys()].map(Number)));
    const model = versions.get(chosen);
    if (!model) throw notFound(`Model "${name}" has no ready version ${chosen}`);
    return model;
  }
}
