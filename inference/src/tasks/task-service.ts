import * as grpc from "@grpc/grpc-js";
import type { TaskServiceHandlers } from "@tessera/proto/generated/tessera/tasks/v1/TaskService";
import { loadTasks } from "@tessera/proto/tasks";
import { defaultImageLimits, type ImageLimits } from "../images/decode-image";
import { toServiceError } from "../kserve/errors";
import { limits } from "../limits";
import type { TierLogger } from "../logger";
import { RequestTimings, withRequestTimings } from "../metrics/request-timings";
import type { ModelRunner } from "../runtime/model-runner";
import { classify } from "./classify";
import { detect } from "./detect";
import { embed } from "./embed";
import type { FeatureEmbedder } from "./embedding/feature-embedder";
import { estimateDepth } from "./estimate-depth";
import { segment } from "./segment";
import type { TaskContext } from "./task-context";

export interface TaskServiceOptions {
  imageLimits?: ImageLimits;
  /** Most images one Embed call may carry; default limits.tasks.embedImages. */
  maxImagesPerEmbed?: number;
}

/** TaskService over a model runner and the built-in embedder. */
export function createTaskServicer(
  runner: ModelRunner,
  embedder: FeatureEmbedder,
  logger: TierLogger,
  options: TaskServiceOptions = {},
): TaskServiceHandlers {
  const context: TaskContext = { runner, embedder, imageLimits: options.imageLimits ?? defaultImageLimits };
  const maxImagesPerEmbed = options.maxImagesPerEmbed ?? limits.tasks.embedImages;
  return {
    Classify: timed("Classify", logger, (request, signal) => classify(context, request, signal)),
    Embed: timed("Embed", logger, (request, signal) => embed(context, request, signal, maxImagesPerEmbed)),
    EstimateDepth: timed("EstimateDepth", logger, (request, signal) =>
      estimateDepth(context, request, signal),
    ),
    Segment: timed("Segment", logger, (request, signal) => segment(context, request, signal)),
    Detect: timed("Detect", logger, (request, signal) => detect(context, request, signal)),
  };
}

/** Adds TaskService to a server (beside GRPCInferenceService on the tier's port). */
export function addTaskService(server: grpc.Server, servicer: TaskServiceHandlers): void {
  server.addService(loadTasks().TaskService.service, servicer);
}

/**
 * One unary call: aborts the work when the client cancels or its deadline passes, adds the
 * latency (from receipt to answer) and the batcher's timings (TierTimings; dropped by messages
 * without that field) and maps errors to statuses in the one place.
 */
function timed<Request, Response extends { latency_ms?: number }>(
  rpc: string,
  logger: TierLogger,
  answer: (request: Request, signal: AbortSignal) => Promise<Omit<Response, "latency_ms">>,
): grpc.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const started = performance.now();
    const cancelled = new AbortController();
    call.on("cancelled", () => cancelled.abort(new Error(`${rpc} was cancelled by the client`)));
    const timings = new RequestTimings();
    withRequestTimings(timings, () => answer(call.request, cancelled.signal)).then(
      (response) =>
        callback(
          null,
          Object.assign({ ...response, latency_ms: performance.now() - started } as Response, {
            timings: timings.message(),
          }),
        ),
      (error: unknown) => {
        // Nobody waits for the answer of a cancelled call; its abort is not a failure to log.
        if (cancelled.signal.aborted)
          return callback({ code: grpc.status.CANCELLED, details: `${rpc} was cancelled` });
        callback(toServiceError(error, (cause) => logger.error({ err: cause, rpc }, `${rpc} failed`)));
      },
    );
  };
}
