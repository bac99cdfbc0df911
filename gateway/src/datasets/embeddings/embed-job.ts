import { buffer } from "node:stream/consumers";
import type pg from "pg";
import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import { PermanentJobError, type JobHandler } from "../../jobs/job-kind";
import type { Logger } from "../../logger";
import type { BlobStore } from "../../storage/blob-store";
import type { Viewer } from "../../users/access";
import type { VectorStore } from "../../vectors/vector-store";
import { toSpaceRow } from "./embedding-spaces";
import { scoreVersion } from "./embedding-quality";
import type { EmbeddingJobPayload } from "./embedding-job-kind";
import type { TierEmbedder } from "./tier-embedder";

/** Images per Embed call: big enough to keep the tier's batches full, small enough for steady progress. */
export const EMBED_BATCH = 32;

export interface EmbedJobDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  store: BlobStore;
  vectors: VectorStore;
  embedder: TierEmbedder;
  logger: Logger;
  /** After a run succeeded, e.g. to recompute the version's quality report with the new vectors. */
  onSucceeded?: (versionId: string) => Promise<unknown>;
}

/**
 * The "embed-dataset-version" kind's handler: embeds the run's version into its space, only the
 * samples without a vector there yet, so a retry or a resumed run continues where the last one
 * stopped and no vector is stored twice. A tier that is away fails the attempt as transient (the
 * platform retries with backoff; the run shows QUEUED with the reason meanwhile). The dataset
 * itself stays usable throughout.
 */
export function embedJobHandler(deps: EmbedJobDeps): JobHandler<EmbeddingJobPayload> {
  return async (context) => {
    const { prisma } = deps;
    const run = await prisma.embeddingRun.findUnique({
      where: { id: context.payload.runId },
      include: { space: true, version: { include: { dataset: { include: { owner: true } } } } },
    });
    if (!run) throw new PermanentJobError("The dataset version was deleted");
    if (run.jobId !== context.jobId)
      throw new PermanentJobError("The run was queued again under another job", "SUPERSEDED");
    const space = toSpaceRow(run.space);
    const owner = run.version.dataset.owner;
    const viewer: Viewer = { id: owner.id, handle: owner.handle, role: owner.role as Viewer["role"] };
    const versionId = run.versionId;
    // The version's samples with a class and those of its unlabeled pool alike.
    const samplesOf = Prisma.sql`(
      SELECT "sampleId" FROM "VersionSample" WHERE "versionId" = ${versionId}::uuid
      UNION ALL SELECT "sampleId" FROM "UnlabeledSample" WHERE "versionId" = ${versionId}::uuid)`;
    const [{ count: alreadyDone } = { count: 0 }] = await prisma.$queryRaw<Array<{ count: number }>>`
      SELECT count(*)::int AS count FROM ${samplesOf} vs
      JOIN "Embedding" e ON e."sampleId" = vs."sampleId" AND e."spaceId" = ${space.id}::uuid`;
    let done = alreadyDone;
    let failed = 0;
    const report = async (force = false) => {
      await context.write((tx) => tx.embeddingRun.update({ where: { id: run.id }, data: { done, failed } }));
      await context.progress({
        fraction: run.total > 0 ? (done + failed) / run.total : 1,
        phase: "EMBEDDING",
        done,
        total: run.total,
        force,
      });
    };
    await report(true);
    // Keyset pages by sample id: a sample the tier refused is not picked again in this attempt.
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      context.signal.throwIfAborted();
      const batch = await prisma.$queryRaw<Array<{ id: string; datasetId: string; sha256: string }>>`
        SELECT s.id::text AS id, s."datasetId"::text AS "datasetId", s.sha256
        FROM ${samplesOf} vs JOIN "Sample" s ON s.id = vs."sampleId"
        WHERE s.id > ${after}::uuid
          AND NOT EXISTS (SELECT 1 FROM "Embedding" e WHERE e."spaceId" = ${space.id}::uuid AND e."sampleId" = s.id)
        ORDER BY s.id LIMIT ${EMBED_BATCH}`;
      if (batch.length === 0) break;
      after = batch.at(-1)!.id;
      const images = await Promise.all(
        batch.map(async (sample) => buffer(await deps.store.openRead(sample.sha256))),
      );
      const outcomes = await deps.embedder.embedEach(space, images, viewer, context.signal);
      const embedded = batch.flatMap((sample, i) => {
        const outcome = outcomes[i]!;
        if ("error" in outcome) {
          deps.logger.warn(
            { sampleId: sample.id, reason: outcome.error },
            "the tier could not embed a sample",
          );
          return [];
        }
        return [{ sampleId: sample.id, datasetId: sample.datasetId, vector: outcome.vector }];
      });
      await deps.vectors.upsert(space, embedded);
      done += embedded.length;
      failed += batch.length - embedded.length;
      await report();
    }
    await scoreVersion(deps.pool, space, versionId);
    await deps.vectors.ensureIndex(space);
    await report(true);
    return {
      result: { done, failed },
      afterSuccess: () => deps.onSucceeded?.(versionId) ?? Promise.resolve(),
    };
  };
}
