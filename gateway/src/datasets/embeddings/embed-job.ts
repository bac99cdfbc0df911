import { buffer } from "node:stream/consumers";
import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client";
import { defaultJobKindOptions, jobKindOptions } from "../../jobs/job-kinds";
import type { RunningJob } from "../../jobs/job-queue";
import type { Logger } from "../../logger";
import type { BlobStore } from "../../storage/blob-store";
import type { Viewer } from "../../users/access";
import type { VectorStore } from "../../vectors/vector-store";
import { toSpaceRow, type SpaceRow } from "./embedding-spaces";
import { scoreVersion } from "./embedding-quality";
import type { EmbeddingProgress } from "./embedding-progress";
import { EMBED_JOB, toStatus } from "./embeddings.service";
import { EmbeddingRunState } from "./embeddings.types";
import type { TierEmbedder } from "./tier-embedder";

/** Images per Embed call: big enough to keep the tier's batches full, small enough for steady progress. */
export const EMBED_BATCH = 32;

export interface EmbedJobDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  store: BlobStore;
  vectors: VectorStore;
  embedder: TierEmbedder;
  progress: EmbeddingProgress;
  logger: Logger;
  /** After a run succeeded, e.g. to recompute the version's quality report with the new vectors. */
  onSucceeded?: (versionId: string) => Promise<unknown>;
}

const retryLimit = jobKindOptions[EMBED_JOB].retryLimit ?? defaultJobKindOptions.retryLimit;

/**
 * Embeds the run's version into its space: only samples without a vector there yet, so a retry or
 * a restart continues where the last attempt stopped. A failure (the tier down, say) is thrown
 * for the queue to retry with backoff; the run shows QUEUED with the reason until the last attempt,
 * then FAILED. The dataset itself stays usable throughout.
 */
export function embedJobHandler(deps: EmbedJobDeps) {
  return async (job: RunningJob<{ runId: string }>): Promise<void> => {
    const { prisma } = deps;
    const run = await prisma.embeddingRun.findUnique({
      where: { id: job.payload.runId },
      include: { space: true, version: { include: { dataset: { include: { owner: true } } } } },
    });
    if (!run || run.state === EmbeddingRunState.SUCCEEDED) return;
    const space = toSpaceRow(run.space);
    const owner = run.version.dataset.owner;
    const viewer: Viewer = { id: owner.id, handle: owner.handle, role: owner.role as Viewer["role"] };
    try {
      await embedRun(deps, job, run.id, run.versionId, space, viewer);
    } catch (error) {
      const final = job.attempt > retryLimit;
      const message = error instanceof Error ? error.message : String(error);
      const updated = await prisma.embeddingRun.update({
        where: { id: run.id },
        data: {
          state: final ? EmbeddingRunState.FAILED : EmbeddingRunState.QUEUED,
          error: final ? message : `Attempt ${job.attempt} failed, will retry: ${message}`,
        },
        include: { space: true },
      });
      deps.progress.publish(toStatus(updated));
      throw error;
    }
  };
}

async function embedRun(
  deps: EmbedJobDeps,
  job: RunningJob<{ runId: string }>,
  runId: string,
  versionId: string,
  space: SpaceRow,
  viewer: Viewer,
): Promise<void> {
  const { prisma, progress } = deps;
  const [{ count: alreadyDone } = { count: 0 }] = await prisma.$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM "VersionSample" vs
    JOIN "Embedding" e ON e."sampleId" = vs."sampleId" AND e."spaceId" = ${space.id}::uuid
    WHERE vs."versionId" = ${versionId}::uuid`;
  let done = alreadyDone;
  let failed = 0;
  const update = async (data: { state?: EmbeddingRunState; error?: null }) => {
    const row = await prisma.embeddingRun.update({
      where: { id: runId },
      data: { ...data, done, failed },
      include: { space: true },
    });
    progress.publish(toStatus(row));
  };
  await update({ state: EmbeddingRunState.RUNNING, error: null });
  // Keyset pages by sample id: a sample the tier refused is not picked again in this attempt.
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    job.signal.throwIfAborted();
    const batch = await prisma.$queryRaw<Array<{ id: string; datasetId: string; sha256: string }>>`
      SELECT s.id::text AS id, s."datasetId"::text AS "datasetId", s.sha256
      FROM "VersionSample" vs JOIN "Sample" s ON s.id = vs."sampleId"
      WHERE vs."versionId" = ${versionId}::uuid AND s.id > ${after}::uuid
        AND NOT EXISTS (SELECT 1 FROM "Embedding" e WHERE e."spaceId" = ${space.id}::uuid AND e."sampleId" = s.id)
      ORDER BY s.id LIMIT ${EMBED_BATCH}`;
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    const images = await Promise.all(
      batch.map(async (sample) => buffer(await deps.store.openRead(sample.sha256))),
    );
    const outcomes = await deps.embedder.embedEach(space, images, viewer, job.signal);
    const embedded = batch.flatMap((sample, i) => {
      const outcome = outcomes[i]!;
      if ("error" in outcome) {
        deps.logger.warn({ sampleId: sample.id, reason: outcome.error }, "the tier could not embed a sample");
        return [];
      }
      return [{ sampleId: sample.id, datasetId: sample.datasetId, vector: outcome.vector }];
    });
    await deps.vectors.upsert(space, embedded);
    done += embedded.length;
    failed += batch.length - embedded.length;
    await update({});
  }
  await scoreVersion(deps.pool, space, versionId);
  await deps.vectors.ensureIndex(space);
  await update({ state: EmbeddingRunState.SUCCEEDED, error: null });
  await deps
    .onSucceeded?.(versionId)
    .catch((error) =>
      deps.logger.warn(
        { err: error, versionId },
        "the quality report could not be recomputed after embedding",
      ),
    );
}
