import type * as grpc from "@grpc/grpc-js";
import type { GRPCInferenceServiceHandlers } from "../generated/inference/GRPCInferenceService";
import type { RepositoryIndexRequest__Output } from "../generated/inference/RepositoryIndexRequest";
import type { _inference_RepositoryIndexResponse_ModelIndex as ModelIndex } from "../generated/inference/RepositoryIndexResponse";
import type { TierLogger } from "../logger";
import type { DataPlane, ServedModel } from "./data-plane";
import { toServiceError, unimplemented } from "./errors";
import { extensionsServed } from "./extensions";

/** RPCs of the service this tier does not answer yet; each gets UNIMPLEMENTED naming it. */
const unservedRpcs = [
  "ModelReady",
  "ModelMetadata",
  "ModelInfer",
  "ModelConfig",
  "ModelStatistics",
  "RepositoryModelLoad",
  "RepositoryModelUnload",
] as const;

type UnservedRpc = (typeof unservedRpcs)[number];

const extensions = extensionsServed(unservedRpcs);

/** GRPCInferenceService over a data plane: decodes requests, calls the plane, encodes answers. */
export function createKServeServicer(dataPlane: DataPlane, logger: TierLogger): GRPCInferenceServiceHandlers {
  const served = {
    ServerLive: unary("ServerLive", logger, () => ({ live: dataPlane.live() })),
    ServerReady: unary("ServerReady", logger, () => ({ ready: dataPlane.ready() })),
    ServerMetadata: unary("ServerMetadata", logger, () => ({
      name: dataPlane.identity.name,
      version: dataPlane.identity.version,
      extensions,
    })),
    RepositoryIndex: unary("RepositoryIndex", logger, (request: RepositoryIndexRequest__Output) => ({
      models: dataPlane.index({ readyOnly: request.ready }).map(toModelIndex),
    })),
  };
  const unserved = Object.fromEntries(unservedRpcs.map((rpc) => [rpc, notServed(rpc)])) as Record<
    UnservedRpc,
    grpc.handleUnaryCall<unknown, never>
  >;
  return { ...served, ...unserved };
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

function notServed(rpc: UnservedRpc): grpc.handleUnaryCall<unknown, never> {
  return (_call, callback) => {
    const error = unimplemented(`${rpc} is not implemented by this inference tier`);
    callback({ code: error.status, details: error.message });
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
