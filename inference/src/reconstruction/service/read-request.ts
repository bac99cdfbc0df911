import type { ReconstructRequest__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructRequest";
import type { ReconstructStart__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructStart";
import type { ImageLimits } from "../../images/decode-image";
import { invalidArgument } from "../../runtime/errors";
import type { SceneFrame } from "../contracts";
import { decodeFrame } from "./decode-frame";
import type { PlannedFrame, ReconstructionPlan } from "./reconstruction-plan";

/** A whole request stream, checked: the plan, the decoded frames and the checkpoint to resume from. */
export interface ReconstructInput {
  plan: ReconstructionPlan;
  /** RADIANCE_FIELD: every listed frame, in the order the start listed them. */
  frames: SceneFrame[];
  checkpoint: Uint8Array | null;
}

/**
 * Reads the request stream to its half-close: ReconstructStart first (checked by `check` before
 * anything else is read), then each listed frame once, decoded as it arrives, then the
 * checkpoint's chunks. Anything out of place is INVALID_ARGUMENT naming it.
 */
export async function readReconstructRequest(
  requests: AsyncIterable<ReconstructRequest__Output>,
  check: (start: ReconstructStart__Output) => ReconstructionPlan,
  imageLimits: ImageLimits,
  signal: AbortSignal,
): Promise<ReconstructInput> {
  let plan: ReconstructionPlan | null = null;
  const expected = new Map<number, PlannedFrame>();
  const decoded = new Map<number, Promise<Uint8Array>>();
  const checkpoint: Uint8Array[] = [];
  let checkpointBytes = 0;
  for await (const request of untilAborted(requests, signal)) {
    signal.throwIfAborted();
    if (request.start) {
      if (plan) throw invalidArgument("ReconstructStart came twice; send it once, first");
      plan = check(request.start);
      if (plan.method === "RADIANCE_FIELD") for (const frame of plan.frames) expected.set(frame.index, frame);
      continue;
    }
    if (!plan)
      throw invalidArgument(
        `The first message must be a ReconstructStart, got a ${request.part ?? "empty message"}`,
      );
    if (request.frame) {
      const { index, data } = request.frame;
      const frame = expected.get(index);
      if (!frame || plan.method !== "RADIANCE_FIELD") {
        throw invalidArgument(`FrameImage ${index} is not a frame the ReconstructStart listed`);
      }
      if (decoded.has(index)) throw invalidArgument(`FrameImage ${index} came twice`);
      if (checkpoint.length > 0)
        throw invalidArgument("FrameImages must come before the checkpoint's chunks");
      const what = `The image of frame ${index}`;
      const pixels = decodeFrame(data, frame.camera, plan.options.background, imageLimits, what);
      // Decoding overlaps reading the next frames; a failure is reported once all have arrived
      // at the latest, and the others are not left rejecting unobserved.
      pixels.catch(() => {});
      decoded.set(index, pixels);
      continue;
    }
    if (request.checkpoint) {
      const wanted = plan.method === "RADIANCE_FIELD" ? plan.checkpointBytes : 0;
      checkpointBytes += request.checkpoint.data.length;
      if (checkpointBytes > wanted) {
        throw invalidArgument(
          `The checkpoint's chunks hold more than the ${wanted} bytes checkpoint_bytes announced`,
        );
      }
      checkpoint.push(request.checkpoint.data);
      continue;
    }
    throw invalidArgument("A ReconstructRequest must hold a start, a frame or a checkpoint chunk");
  }
  signal.throwIfAborted();
  if (!plan) throw invalidArgument("The request stream ended without a ReconstructStart");
  if (plan.method !== "RADIANCE_FIELD") return { plan, frames: [], checkpoint: null };

  const missing = plan.frames.filter((frame) => !decoded.has(frame.index)).map((frame) => frame.index);
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(", ");
    throw invalidArgument(
      `The stream ended without the images of ${missing.length} listed frames (${shown}${missing.length > 10 ? ", …" : ""})`,
    );
  }
  if (checkpointBytes !== plan.checkpointBytes) {
    throw invalidArgument(
      `The checkpoint's chunks hold ${checkpointBytes} bytes; checkpoint_bytes announced ${plan.checkpointBytes}`,
    );
  }
  const frames: SceneFrame[] = [];
  for (const frame of plan.frames) {
    frames.push({ index: frame.index, camera: frame.camera, rgb: await decoded.get(frame.index)! });
  }
  return { plan, frames, checkpoint: checkpointBytes > 0 ? concat(checkpoint, checkpointBytes) : null };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * The requests until `signal` aborts. Whether a cancelled call's request stream ends is up to
 * grpc-js (today it does); a read left waiting would hold the run's reserved bytes for ever.
 */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // After an abort a read is still pending, and a stream's iterator answers return() only after it.
    if (!signal.aborted) await iterator.return?.();
  }
}
