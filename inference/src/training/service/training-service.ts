import { once } from "node:events";
import * as grpc from "@grpc/grpc-js";
import type { PutImagesRequest__Output } from "@tessera/proto/generated/tessera/training/v1/PutImagesRequest";
import type { TrainingServiceHandlers } from "@tessera/proto/generated/tessera/training/v1/TrainingService";
import { toServiceError } from "../../kserve/errors";
import { TierError } from "../../runtime/errors";
import { exportModel } from "./export-model";
import type { TrainingImageCache } from "./image-cache";
import { train } from "./train";
import type { TrainingContext } from "./training-context";

/** ExportModel's chunk size: far below any gRPC message limit, large enough to be few. */
export const modelChunkBytes = 1024 * 1024;

/**
 * TrainingService over the training caches and the tier's models. The servicer only translates:
 * the work is in train.ts and export-model.ts, statuses come from toServiceError.
 */
export function createTrainingServicer(context: TrainingContext): TrainingServiceHandlers {
  const { logger } = context;
  const unexpected = (rpc: string) => (error: unknown) => logger.error({ err: error, rpc }, `${rpc} failed`);
  return {
    MissingImages: (call, callback) => {
      try {
        callback(null, { sha256: context.images.missing(call.request.sha256) });
      } catch (error) {
        callback(toServiceError(error, unexpected("MissingImages")));
      }
    },

    PutImages: (call, callback) => {
      putImages(context.images, call).then(
        (stored) => callback(null, { stored }),
        (error: unknown) => {
          if (call.cancelled) return;
          callback(toServiceError(error, unexpected("PutImages")));
        },
      );
    },

    Train: (call) => {
      const signal = abortOnCancel(call);
      const { job_id: jobId, trial } = call.request;
      const log = logger.child({ jobId, trial });
      const started = performance.now();
      const base = call.request.base?.model_name || "feature-embedder";
      log.info({ samples: call.request.samples.length, base }, "training started");
      train(context, call.request, signal, (event) => write(call, event, signal)).then(
        (summary) => {
          log.info({ ...summary, seconds: seconds(started) }, "training finished");
          call.end();
        },
        (error: unknown) => {
          if (signal.aborted) return log.info({ seconds: seconds(started) }, "training cancelled");
          if (error instanceof TierError) log.warn({ code: error.code }, `training failed: ${error.message}`);
          call.emit("error", toServiceError(error, unexpected("Train")));
        },
      );
    },

    ExportModel: (call) => {
      const signal = abortOnCancel(call);
      exportModel(context, call.request, signal)
        .then(async (bytes) => {
          for (let start = 0; start < bytes.byteLength; start += modelChunkBytes) {
            const data = bytes.subarray(start, start + modelChunkBytes);
            await write(call, { data, total_bytes: bytes.byteLength }, signal);
          }
          call.end();
        })
        .catch((error: unknown) => {
          if (signal.aborted) return;
          call.emit("error", toServiceError(error, unexpected("ExportModel")));
        });
    },
  };
}

/** Verifies and stores every image of every message, in order; the count stored. */
async function putImages(
  images: TrainingImageCache,
  call: grpc.ServerReadableStream<PutImagesRequest__Output, unknown>,
): Promise<number> {
  let stored = 0;
  for await (const request of call as AsyncIterable<PutImagesRequest__Output>) {
    for (const image of request.images) {
      await images.put(image.sha256, image.data);
      stored++;
    }
  }
  return stored;
}

/** A signal aborted when the client cancels the call or its deadline passes. */
function abortOnCancel(call: grpc.ServerWritableStream<unknown, unknown>): AbortSignal {
  const controller = new AbortController();
  call.once("cancelled", () => controller.abort(new Error(`${call.getPath()} was cancelled by the client`)));
  return controller.signal;
}

/** Writes one message, waiting while the client is slower than the stream (until cancelled). */
async function write<Message>(
  call: grpc.ServerWritableStream<unknown, Message>,
  message: Message,
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  if (!call.write(message)) await once(call, "drain", { signal });
}

const seconds = (since: number) => Math.round(performance.now() - since) / 1000;
