import { buffer } from "node:stream/consumers";
import type { PrismaClient } from "../generated/prisma/client";
import {
  checkEmbeddingOptions,
  toSpaceRow,
  upsertSpace,
  type SpaceRow,
} from "../datasets/embeddings/embedding-spaces";
import type { TierEmbedder } from "../datasets/embeddings/tier-embedder";
import { EmbeddingMethod } from "../inference/inference.types";
import type { BlobStore } from "../storage/blob-store";
import type { Viewer } from "../users/access";

/**
 * The built-in embedder's space a dataset version's vectors are in: the space of its FEATURE run
 * (a succeeded one first, then the newest), so a version embedded under system/feature-embedder
 * v1 keeps being read from "FEATURE/256" after new uploads moved to v2. A version without a
 * FEATURE run, or no version, gets the space new uploads use (checkEmbeddingOptions' default).
 * Labelling pools measure diversity here and drift compares predictions with training data here.
 */
export async function versionFeatureSpace(prisma: PrismaClient, versionId: string | null): Promise<SpaceRow> {
  const runs = versionId
    ? await prisma.embeddingRun.findMany({
        where: { versionId, space: { method: EmbeddingMethod.FEATURE } },
        orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
        select: { space: true, job: { select: { status: true } } },
      })
    : [];
  const run = runs.find((candidate) => candidate.job?.status === "SUCCEEDED") ?? runs[0];
  if (run) return toSpaceRow(run.space);
  return upsertSpace(prisma, await checkEmbeddingOptions(prisma, null, null));
}

/** Images per Embed call (the tier's feature batch). */
const EMBED_BATCH = 32;

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
