import * as grpc from "@grpc/grpc-js";
import type { GRPCInferenceServiceHandlers } from "@tessera/proto/generated/inference/GRPCInferenceService";
import type { ModelInferRequest__Output } from "@tessera/proto/generated/inference/ModelInferRequest";
import type { ModelInferResponse } from "@tessera/proto/generated/inference/ModelInferResponse";
import type { _inference_RepositoryIndexResponse_ModelIndex as ModelIndex } from "@tessera/proto/generated/inference/RepositoryIndexResponse";
import type { TierLogger } from "../logger";
import { invalidArgument, TierError } from "../runtime/errors";
import type { ServedModel } from "../runtime/model-repository";
import type { DataPlane } from "./data-plane";
import { toServiceError } from "./errors";
import { servedExtensions } from "./extensions";
import { readLoadParameters } from "./load-parameters";
import { modelConfig, modelMetadata, modelStatistics } from "./model-messages";
import { SharedMemoryRequest } from "./shared-memory-tensors";
import type { SystemSharedMemory } from "./system-shared-memory";
import { decodeInputs, encodeOutputs } from "./tensor-codec";

/**
 * GRPCInferenceService over a data plane: decodes requests, calls the plane, encodes answers.
 * `maxTensorBytes` bounds each input tensor of ModelInfer (INFERENCE_MAX_TENSOR_BYTES), whether it
 * comes in the message or from `sharedMemory`, the regions clients registered.
 */
export function createKServeServicer(
  dataPlane: DataPlane,
  logger: TierLogger,
  maxTensorBytes: number,
  sharedMemory: SystemSharedMemory,
): GRPCInferenceServiceHandlers {
  const { models, runner } = dataPlane;
  const extensions = servedExtensions({ systemSharedMemory: sharedMemory.allowed });
  return {
    ServerLive: unary("ServerLive", logger, () => ({ live: dataPlane.live() })),
    ServerReady: unary("ServerReady", logger, () => ({ ready: dataPlane.ready() })),
    ServerMetadata: unary("ServerMetadata", logger, () => ({
      name: dataPlane.identity.name,
      version: dataPlane.identity.version,
      extensions: [...extensions],
    })),
    ModelReady: unary("ModelReady", logger, (request) => ({
      ready: isReady(dataPlane, request.name, request.version),
    })),
    ModelMetadata: unary("ModelMetadata", logger, (request) =>
      modelMetadata(models.resolve(request.name, request.version), models.readyVersions(request.name)),
    ),
    ModelConfig: unary("ModelConfig", logger, (request) => ({
      config: modelConfig(models.resolve(request.name, request.version)),
    })),
    ModelInfer: (call, callback) => {
      // A client that cancels (or whose deadline passes) takes its request out of the batch queue.
      // grpc-js also emits "cancelled" once the answer is sent: only a call still waiting is abandoned.
      const abort = new AbortController();
      let answered = false;
      call.once("cancelled", () => {
        if (!answered) abort.abort();
      });
      const handle = unary("ModelInfer", logger, (request: ModelInferRequest__Output) =>
        infer(request, abort.signal),
      );
      handle(call, (error, response) => {
        answered = true;
        callback(error, response);
      });
    },
    ModelStatistics: unary("ModelStatistics", logger, (request) => ({
      model_stats: models
        .statistics(request.name, request.version)
        .map(({ name, version, statistics }) => modelStatistics(name, version, statistics)),
    })),
    RepositoryIndex: unary("RepositoryIndex", logger, (request) => ({
      models: dataPlane.index({ readyOnly: request.ready }).map(toModelIndex),
    })),
    RepositoryModelLoad: unary("RepositoryModelLoad", logger, async (request) => {
      await models.load(request.model_name, readLoadParameters(request.parameters));
      return {};
    }),
    RepositoryModelUnload: unary("RepositoryModelUnload", logger, async (request) => {
      await models.unload(request.model_name);
      return {};
    }),
    SystemSharedMemoryStatus: unary("SystemSharedMemoryStatus", logger, (request) => ({
      regions: Object.fromEntries(sharedMemory.status(request.name).map((region) => [region.name, region])),
    })),
    SystemSharedMemoryRegister: unary("SystemSharedMemoryRegister", logger, async (request) => {
      await sharedMemory.register(request);
      return {};
    }),
    SystemSharedMemoryUnregister: unary("SystemSharedMemoryUnregister", logger, async (request) => {
      await sharedMemory.unregister(request.name);
      return {};
    }),
  };

  async function infer(request: ModelInferRequest__Output, signal: AbortSignal) {
    const classification = request.outputs.find((output) => output.parameters.classification);
    if (classification) {
      throw invalidArgument(
        `output "${classification.name}" asks for Triton's classification extension, which this tier does not ` +
          "serve; request the raw output, or use the Classify task service for labels and scores",
      );
    }
    const shared = new SharedMemoryRequest(sharedMemory);
    try {
      const inputs = decodeInputs(request.inputs, request.raw_input_contents, maxTensorBytes, shared);
      shared.addOutputs(request.outputs);
      Object.assign(inputs, await shared.readInputs());
      const { model, outputs } = await runner.run(request.model_name, request.model_version, inputs, {
        outputs: request.outputs.map((output) => output.name),
        signal,
      });
      const response: ModelInferResponse = {
        model_name: model.name,
        model_version: model.version,
        id: request.id,
        ...encodeOutputs(outputs, shared.hasOutputs ? await shared.writeOutputs(outputs) : undefined),
      };
      return response;
    } finally {
      shared.release();
    }
  }
}

/** Triton answers "not ready" rather than an error for models it does not hold or cannot run. */
function isReady(dataPlane: DataPlane, name: string, version: string): boolean {
  try {
    dataPlane.models.resolve(name, version);
    return true;
  } catch (error) {
    const answersNotReady =
      error instanceof TierError && (error.code === "NOT_FOUND" || error.code === "UNAVAILABLE");
    if (answersNotReady) return false;
    throw error;
  }
}

/** Runs `answer` for each call and turns what it throws into a status through the one mapping. */
function unary<Request, Response>(
  rpc: string,
  logger: TierLogger,
  answer: (request: Request) => Response | Promise<Response>,
): grpc.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => answer(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) =>
          callback(toServiceError(error, (cause) => logger.error({ err: cause, rpc }, `${rpc} failed`))),
      );
  };
}

/** Triton's repository states: a failed load is UNAVAILABLE with the failure as its reason. */
function toModelIndex(model: ServedModel): ModelIndex {
  const { name, version, state } = model;
  switch (state.phase) {
    case "ready":
      return { name, version, state: "READY", reason: "" };
    case "loading":
      return { name, version, state: "LOADING", reason: "" };
    case "unloading":
      return { name, version, state: "UNLOADING", reason: "" };
    case "failed":
      return { name, version, state: "UNAVAILABLE", reason: state.reason };
  }
}
