import { buffer } from "node:stream/consumers";
import type pg from "pg";
import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import { PermanentJobError, type JobHandler } from "../../jobs/job-kind";
import type { Logger } from "../../logger";
import type { BlobStore } from "../../storage/blob-store";
import type { Viewer } from "../../users/access";
import type { EmbeddingInput, VectorStore } from "../../vectors/vector-store";
import { NIL_UUID } from "../sample-cursor";
import { runOverlapped } from "./embed-pipeline";
import { toSpaceRow } from "./embedding-spaces";
import { scoreVersion } from "./embedding-quality";
import type { EmbeddingJobPayload } from "./embedding-job-kind";
import type { TierEmbedder } from "./tier-embedder";

/** Images per Embed call: big enough to keep the tier's batches full, small enough for steady progress. */
export const EMBED_BATCH = 32;

/**
 * Embed calls a run keeps on the tier at once: with two, the tier decodes one batch's images
 * while its workers compute the other's descriptors, and never waits for the gateway between
 * calls. More would only queue on the tier and hold more images in memory.
 */
export const EMBED_CALLS_IN_FLIGHT = 2;

/** The run's row and the job's progress are written at most this often (and once at the end). */
const PROGRESS_INTERVAL_MS = 500;

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
    let reportedAt = 0;
    const report = async (force = false) => {
      if (!force && Date.now() - reportedAt < PROGRESS_INTERVAL_MS) return;
      reportedAt = Date.now();
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

    /**
     * The next samples without a vector in the space, by id after `after` (keyset: a sample the
     * tier refused is not picked again in this attempt), and their images.
     */
    const readBatch = async (after: string): Promise<PendingBatch> => {
      // The id bound sits inside each arm so both walk their primary key from `after` and stop early.
      const samples = await prisma.$queryRaw<PendingSample[]>`
        SELECT s.id::text AS id, s."datasetId"::text AS "datasetId", s.sha256
        FROM (
          SELECT "sampleId" FROM "VersionSample"
          WHERE "versionId" = ${versionId}::uuid AND "sampleId" > ${after}::uuid
          UNION ALL
          SELECT "sampleId" FROM "UnlabeledSample"
          WHERE "versionId" = ${versionId}::uuid AND "sampleId" > ${after}::uuid
        ) vs JOIN "Sample" s ON s.id = vs."sampleId"
        WHERE NOT EXISTS (
          SELECT 1 FROM "Embedding" e WHERE e."spaceId" = ${space.id}::uuid AND e."sampleId" = vs."sampleId")
        ORDER BY vs."sampleId" LIMIT ${EMBED_BATCH}`;
      const images = await Promise.all(
        samples.map(async (sample) => buffer(await deps.store.openRead(sample.sha256))),
      );
      return { samples, images };
    };

    const embedBatch = async (batch: PendingBatch): Promise<EmbeddedBatch> => {
      const outcomes = await deps.embedder.embedEach(space, batch.images, viewer, context.signal);
      const rows = batch.samples.flatMap((sample, i) => {
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
      return { rows, refused: batch.samples.length - rows.length };
    };

    const storeBatch = async ({ rows, refused }: EmbeddedBatch) => {
      await deps.vectors.upsert(space, rows);
      done += rows.length;
      failed += refused;
      await report();
    };

    await runOverlapped(
      {
        read: async (previous) => {
          const batch = await readBatch(previous?.samples.at(-1)!.id ?? NIL_UUID);
          return batch.samples.length > 0 ? batch : null;
        },
        embed: embedBatch,
        store: storeBatch,
      },
      EMBED_CALLS_IN_FLIGHT,
      context.signal,
    );
    await scoreVersion(deps.pool, space, versionId);
    await deps.vectors.ensureIndex(space);
    await report(true);
    return {
      result: { done, failed },
      afterSuccess: () => deps.onSucceeded?.(versionId) ?? Promise.resolve(),
    };
  };
}

interface PendingSample {
  id: string;
  datasetId: string;
  sha256: string;
}

interface PendingBatch {
  samples: PendingSample[];
  images: Buffer[];
}

interface EmbeddedBatch {
  rows: EmbeddingInput[];
  /** Images the tier refused as undecodable. */
  refused: number;
}
