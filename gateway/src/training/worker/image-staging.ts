import { buffer } from "node:stream/consumers";
import type { BlobStore } from "../../storage/blob-store";
import type { TrainingImage, TrainingTier } from "./training-tier";

/** Bytes of images per PutImages message: large enough to stream fast, far under gRPC limits. */
export const PUT_IMAGES_MESSAGE_BYTES = 8 * 1024 ** 2;

export interface StagingResult {
  /** Distinct images the job trains on. */
  images: number;
  /** How many of them the tier lacked and were sent. */
  sent: number;
}

/**
 * Makes sure the tier holds every image the job trains on: asks which it lacks and sends only
 * those, from the blob store, in messages of at most PUT_IMAGES_MESSAGE_BYTES (an image larger
 * than that goes alone).
 */
export async function stageImages(
  tier: TrainingTier,
  address: string,
  store: BlobStore,
  sha256s: Iterable<string>,
  signal: AbortSignal,
): Promise<StagingResult> {
  const distinct = [...new Set(sha256s)];
  const missing = await tier.missingImages(address, distinct, signal);
  if (missing.length > 0) await tier.putImages(address, imageBatches(store, missing, signal), signal);
  return { images: distinct.length, sent: missing.length };
}

async function* imageBatches(
  store: BlobStore,
  sha256s: readonly string[],
  signal: AbortSignal,
): AsyncGenerator<TrainingImage[]> {
  let batch: TrainingImage[] = [];
  let bytes = 0;
  for (const sha256 of sha256s) {
    signal.throwIfAborted();
    const data = await buffer(await store.openRead(sha256));
    if (batch.length > 0 && bytes + data.length > PUT_IMAGES_MESSAGE_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push({ sha256, data });
    bytes += data.length;
  }
  if (batch.length > 0) yield batch;
}
