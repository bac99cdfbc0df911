import { buffer } from "node:stream/consumers";
import type { PrismaClient } from "../generated/prisma/client";
import {
  DEFAULT_EMBEDDING_DIMENSION,
  spaceKey,
  upsertSpace,
  type SpaceRow,
} from "../datasets/embeddings/embedding-spaces";
import type { TierEmbedder } from "../datasets/embeddings/tier-embedder";
import { EmbeddingMethod } from "../inference/inference.types";
import type { BlobStore } from "../storage/blob-store";
import type { Viewer } from "../users/access";

/**
 * The built-in embedder's space as datasets store it ("FEATURE/256"): where labelling batches of
 * predictions measure diversity and where drift compares recent predictions with training data.
 */
export const FEATURE_SPACE_KEY = spaceKey(EmbeddingMethod.FEATURE, DEFAULT_EMBEDDING_DIMENSION, null);

/** Images per Embed call (the tier's feature batch). */
const EMBED_BATCH = 32;

export function featureSpace(prisma: PrismaClient): Promise<SpaceRow> {
  return upsertSpace(prisma, {
    key: FEATURE_SPACE_KEY,
    method: EmbeddingMethod.FEATURE,
    dimension: DEFAULT_EMBEDDING_DIMENSION,
    modelVersionId: null,
    qualityThreshold: null,
  });
}

export interface ImageToEmbed {
  key: string;
  sha256: string;
}

/**
 * Vectors by key for the images the store still has (a prediction's image may have expired with
 * its retention) and the tier accepts; the others are left out.
 */
export async function embedStoredImages(
  deps: { store: BlobStore; embedder: TierEmbedder },
  space: SpaceRow,
  items: readonly ImageToEmbed[],
  viewer: Viewer | null,
  signal?: AbortSignal,
): Promise<Map<string, number[]>> {
  const vectors = new Map<string, number[]>();
  for (let start = 0; start < items.length; start += EMBED_BATCH) {
    const batch: Array<ImageToEmbed & { bytes: Buffer }> = [];
    for (const item of items.slice(start, start + EMBED_BATCH)) {
      if (!(await deps.store.stat(item.sha256))) continue;
      batch.push({ ...item, bytes: await buffer(await deps.store.openRead(item.sha256)) });
    }
    if (batch.length === 0) continue;
    const outcomes = await deps.embedder.embedEach(
      space,
      batch.map((item) => item.bytes),
      viewer,
      signal,
    );
    outcomes.forEach((outcome, index) => {
      if ("vector" in outcome) vectors.set(batch[index]!.key, outcome.vector);
    });
  }
  return vectors;
}
