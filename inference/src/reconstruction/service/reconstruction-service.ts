import type * as grpc from "@grpc/grpc-js";
import type { ReconstructEvent } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructEvent";
import type { ReconstructRequest__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructRequest";
import type { ReconstructionServiceHandlers } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructionService";
import { toServiceError } from "../../kserve/errors";
import type { TierLogger } from "../../logger";
import { TierError } from "../../runtime/errors";
import type { TaskContext } from "../../tasks/task-context";
import type { RadianceFieldLimits } from "./check-radiance-field";
import { checkStart } from "./check-start";
import { runDepthMesh } from "./depth-mesh-job";
import { ReconstructEvents } from "./event-stream";
import { MemoryBudget } from "./memory-budget";
import type { GenerativeBackends } from "./generative-backend";
import { runGenerative } from "./generative-job";
import { runRadianceField } from "./radiance-field-job";
import { readReconstructRequest } from "./read-request";

export interface ReconstructionContext {
  /** The runner, the built-in embedder and the image limits, as the task services use them. */
  tasks: TaskContext;
  generative: GenerativeBackends;
  radianceField: RadianceFieldLimits;
  logger: TierLogger;
}

/**
 * ReconstructionService over the tier's models and the 3D code. The servicer only translates:
 * the request is read and checked in read-request.ts, each method runs in its *-job.ts, and
 * statuses come from toServiceError. A cancelled call aborts the run and answers nothing more.
 */
export function createReconstructionServicer(context: ReconstructionContext): ReconstructionServiceHandlers {
  const budget = new MemoryBudget(context.radianceField.maxBytes);
  return {
    Reconstruct: (call) => {
      const controller = new AbortController();
      call.once("cancelled", () => controller.abort(new Error("Reconstruct was cancelled by the client")));
      const { signal } = controller;
      const started = performance.now();
      const log = context.logger.child({ rpc: "Reconstruct" });
      reconstruct(context, budget, call, signal).then(
        (method) => {
          log.info({ method, seconds: seconds(started) }, "reconstruction finished");
          call.end();
        },
        (error: unknown) => {
          if (signal.aborted) return log.info({ seconds: seconds(started) }, "reconstruction cancelled");
          if (error instanceof TierError)
            log.warn({ code: error.code }, `reconstruction failed: ${error.message}`);
          call.emit(
            "error",
            toServiceError(error, (unexpected) => log.error({ err: unexpected }, "Reconstruct failed")),
          );
        },
      );
    },
  };
}

/**
 * A radiance-field run holds its estimated bytes of the tier's budget from its accepted start
 * (before any frame is decoded) until the call ends, however it ends.
 */
async function reconstruct(
  context: ReconstructionContext,
  budget: MemoryBudget,
  call: grpc.ServerDuplexStream<ReconstructRequest__Output, ReconstructEvent>,
  signal: AbortSignal,
): Promise<string> {
  let release = () => {};
  try {
    const input = await readReconstructRequest(
      // Not destroyed when reading stops early (a refused start): a destroyed call never sends its status.
      call.iterator({ destroyOnReturn: false }) as AsyncIterable<ReconstructRequest__Output>,
      (start) => {
        const plan = checkStart(start, context.radianceField);
        if (plan.method === "RADIANCE_FIELD") release = budget.reserve(plan.estimatedBytes);
        return plan;
      },
      context.tasks.imageLimits,
      signal,
    );
    const events = new ReconstructEvents(call, signal);
    const { plan } = input;
    switch (plan.method) {
      case "RADIANCE_FIELD":
        await runRadianceField(plan, input.frames, input.checkpoint, events, signal);
        break;
      case "DEPTH_MESH":
        await runDepthMesh(plan, context.tasks, events, signal);
        break;
      case "TEXT_TO_3D":
      case "IMAGE_TO_3D":
        await runGenerative(plan, context.generative, events, signal);
        break;
    }
    return plan.method;
  } finally {
    release();
  }
}

const seconds = (since: number) => Math.round(performance.now() - since) / 1000;
