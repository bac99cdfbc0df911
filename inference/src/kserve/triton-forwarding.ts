import * as grpc from "@grpc/grpc-js";
import type { GrpcAddress } from "@tessera/proto/address";
import type { ModelRepositoryParameter } from "@tessera/proto/generated/inference/ModelRepositoryParameter";
import { TierError } from "../runtime/errors";
import type { ModelSettings, TensorConfig } from "../runtime/model-config";
import type { LoadRequest, ModelForwarding } from "../runtime/model-repository";
import type { ModelDescription, Tensor } from "../runtime/model-runner";
import { ModelLoadError, type ModelSignature } from "../runtime/model-signature";
import type { VersionStatistics } from "../runtime/model-statistics";
import { describeModel, type ServingModel } from "../runtime/serving-model";
import { dataTypeOfConfig, dataTypeOfWire, wireDataType } from "../runtime/tensor-types";
import { KServeClient, type KServeCallOptions, type KServeRequest, type KServeRpc } from "./client";
import { tierErrorCode } from "./errors";
import { rawBytes, tensorFromRaw } from "./tensor-codec";

/** Loading a model can take minutes on Triton (TensorRT engines are built then). */
const loadDeadlineMs = 10 * 60_000;
const metadataDeadlineMs = 30_000;

/**
 * A Triton server (or anything speaking KServe v2 with Triton's repository extension) that models
 * marked `"tessera.hosted_on": "triton"` live on: their loads and unloads go to its repository API
 * and their inference is sent there as raw tensors after the tier's own validation.
 */
export class TritonForwarding implements ModelForwarding {
  private readonly client: KServeClient;

  constructor(address: GrpcAddress, maxMessageBytes: number) {
    this.client = new KServeClient(address, maxMessageBytes);
  }

  get target(): string {
    return this.client.address.target;
  }

  /** Loads on Triton with the same configuration and files, and answers the version that serves. */
  async load(name: string, request: LoadRequest, configJson: string | null): Promise<string> {
    const parameters: Record<string, ModelRepositoryParameter> = {};
    // Triton would treat the marker as a parameter of the model; a tier standing in for Triton would forward again.
    if (configJson !== null) parameters.config = { string_param: withoutHostedOn(configJson) };
    for (const [version, files] of request.files) {
      for (const [path, bytes] of files) parameters[`file:${version}/${path}`] = { bytes_param: bytes };
    }
    await this.call("RepositoryModelLoad", { model_name: name, parameters }, { deadlineMs: loadDeadlineMs });
    if (request.files.size > 0) return String(Math.max(...[...request.files.keys()].map(Number)));
    const metadata = await this.call(
      "ModelMetadata",
      { name, version: "" },
      { deadlineMs: metadataDeadlineMs },
    );
    return String(Math.max(...metadata.versions.map(Number)));
  }

  async unload(name: string): Promise<void> {
    await this.call(
      "RepositoryModelUnload",
      { model_name: name, parameters: {} },
      { deadlineMs: loadDeadlineMs },
    );
  }

  /** Describes a version Triton serves, from its ModelConfig and ModelMetadata. */
  async open(settings: ModelSettings, version: string, statistics: VersionStatistics): Promise<ServingModel> {
    const { config } = await this.call(
      "ModelConfig",
      { name: settings.name, version },
      { deadlineMs: metadataDeadlineMs },
    );
    const metadata = await this.call(
      "ModelMetadata",
      { name: settings.name, version },
      { deadlineMs: metadataDeadlineMs },
    );
    const maxBatchSize = config?.max_batch_size ?? 0;
    const tensor = (entry: { name: string; datatype: string; shape: number[] }): TensorConfig => {
      const dataType = dataTypeOfWire(entry.datatype);
      if (!dataType)
        throw new ModelLoadError(
          `Triton describes "${entry.name}" as ${entry.datatype}, which the tier cannot carry`,
        );
      return { name: entry.name, dataType, dims: entry.shape.map(Number).slice(maxBatchSize > 0 ? 1 : 0) };
    };
    const batching = config?.dynamic_batching;
    const signature: ModelSignature = {
      maxBatchSize,
      inputs: metadata.inputs.map(tensor),
      outputs: metadata.outputs.map(tensor),
      dynamicBatching: batching
        ? {
            preferredBatchSizes: batching.preferred_batch_size,
            maxQueueDelayMicroseconds: batching.max_queue_delay_microseconds,
          }
        : null,
      skippedOutputs: [],
    };
    const description = describeModel(settings, signature, version);
    return new TritonModel(this, settings, signature, description, statistics);
  }

  async infer(
    model: ModelDescription,
    inputs: Record<string, Tensor>,
    outputs: readonly string[],
    signal?: AbortSignal,
  ): Promise<Record<string, Tensor>> {
    const entries = Object.entries(inputs);
    const response = await this.call(
      "ModelInfer",
      {
        model_name: model.name,
        model_version: model.version,
        inputs: entries.map(([name, tensor]) => ({
          name,
          datatype: wireDataType(tensor.dataType),
          shape: tensor.shape,
        })),
        raw_input_contents: entries.map(([, tensor]) => rawBytes(tensor)),
        outputs: outputs.map((name) => ({ name })),
      },
      { signal },
    );
    return Object.fromEntries(
      response.outputs.map((output, index) => {
        const what = `Triton's output "${output.name}"`;
        const dataType = dataTypeOfWire(output.datatype) ?? dataTypeOfConfig(output.datatype);
        if (!dataType || !response.raw_output_contents[index]) {
          throw new TierError(
            "INTERNAL",
            `${what} (${output.datatype}) did not come as raw contents the tier can read`,
          );
        }
        return [
          output.name,
          tensorFromRaw(what, dataType, output.shape.map(Number), response.raw_output_contents[index]),
        ];
      }),
    );
  }

  close(): void {
    this.client.close();
  }

  /** Triton's answer status passes through to the tier's caller, its message marked as Triton's. */
  private async call<R extends KServeRpc>(rpc: R, request: KServeRequest<R>, options?: KServeCallOptions) {
    try {
      return await this.client.call(rpc, request, options);
    } catch (error) {
      const { code, details } = error as grpc.ServiceError;
      const status = typeof code === "number" ? tierErrorCode(code) : "INTERNAL";
      throw new TierError(status, `Triton at ${this.target} answered ${rpc} with ${status}: ${details}`);
    }
  }
}

function withoutHostedOn(configJson: string): string {
  const config = JSON.parse(configJson) as { parameters?: Record<string, unknown> };
  if (config.parameters) delete config.parameters["tessera.hosted_on"];
  return JSON.stringify(config);
}

/** A version served by Triton: no local queue; Triton batches and queues on its side. */
class TritonModel implements ServingModel {
  constructor(
    private readonly triton: TritonForwarding,
    readonly settings: ModelSettings,
    readonly signature: ModelSignature,
    readonly description: ModelDescription,
    readonly statistics: VersionStatistics,
  ) {}

  async infer(inputs: Record<string, Tensor>, outputs: readonly string[], signal?: AbortSignal) {
    const started = process.hrtime.bigint();
    const items = this.description.maxBatchSize > 0 ? (Object.values(inputs)[0]?.shape[0] ?? 1) : 1;
    try {
      const answer = await this.triton.infer(this.description, inputs, outputs, signal);
      const ns = Number(process.hrtime.bigint() - started);
      const compute = { inputNs: 0, inferNs: ns, outputNs: 0 };
      this.statistics.recordExecution(items, compute);
      this.statistics.recordSuccess(items, ns, 0, compute);
      return answer;
    } catch (error) {
      this.statistics.recordFailure(Number(process.hrtime.bigint() - started));
      throw error;
    }
  }

  queueLength(): number {
    return 0;
  }

  async close(): Promise<void> {}
}
