import DataLoader from "dataloader";
import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { Sample } from "../../datasets/datasets.types";
import type { StoredJobEvaluation, StoredSampleResults } from "../training-rows";

/** One job's per-sample results as stored (none on jobs trained before they were kept). */
export interface JobSampleResults {
  validation: StoredSampleResults | null;
  test: StoredSampleResults | null;
}

const ids = (keys: readonly string[]) => Prisma.join(keys.map((key) => Prisma.sql`${key}::uuid`));

/**
 * TrainingJob.evaluation without its per-sample results (up to megabytes of arrays a job's
 * summary never shows), by job id, in one statement.
 */
export async function evaluationSummaries(
  prisma: PrismaClient,
  jobIds: readonly string[],
): Promise<Map<string, StoredJobEvaluation>> {
  if (jobIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<Array<{ id: string; evaluation: StoredJobEvaluation }>>`
    SELECT id::text AS id, (evaluation #- '{validation,samples}') #- '{test,samples}' AS evaluation
    FROM "TrainingJob" WHERE id IN (${ids(jobIds)}) AND evaluation IS NOT NULL`;
  return new Map(rows.map((row) => [row.id, row.evaluation]));
}

interface VersionSampleRow {
  versionId: string;
  id: string;
  datasetId: string;
  sha256: string;
  format: string;
  width: number;
  height: number;
  originalPath: string;
  split: string | null;
  metadata: unknown;
  classId: string;
  className: string;
}

/** A sample as a dataset version holds it, for MisclassifiedSample.sample. */
export interface VersionSampleKey {
  versionId: string;
  sampleId: string;
}

export function createReportLoaders(prisma: PrismaClient) {
  return {
    trainingSampleResultsByJobId: new DataLoader<string, JobSampleResults>(async (jobIds) => {
      const rows = await prisma.$queryRaw<
        Array<{ id: string; validation: StoredSampleResults | null; test: StoredSampleResults | null }>
      >`
        SELECT id::text AS id, evaluation->'validation'->'samples' AS validation,
               evaluation->'test'->'samples' AS test
        FROM "TrainingJob" WHERE id IN (${ids(jobIds)})`;
      const byId = new Map(rows.map((row) => [row.id, row]));
      return jobIds.map((id) => ({
        validation: byId.get(id)?.validation ?? null,
        test: byId.get(id)?.test ?? null,
      }));
    }),
    versionSample: new DataLoader<VersionSampleKey, Sample | null, string>(
      async (keys) => {
        const rows = await prisma.$queryRaw<VersionSampleRow[]>`
          SELECT vs."versionId"::text AS "versionId", s.id::text AS id, s."datasetId"::text AS "datasetId",
                 s.sha256, s.format, s.width, s.height, s."originalPath", vs.split, vs.metadata,
                 c.id::text AS "classId", c.name AS "className"
          FROM "VersionSample" vs
          JOIN "Sample" s ON s.id = vs."sampleId"
          JOIN "DatasetClass" c ON c.id = vs."classId"
          WHERE (vs."versionId", vs."sampleId") IN (${Prisma.join(
            keys.map((key) => Prisma.sql`(${key.versionId}::uuid, ${key.sampleId}::uuid)`),
          )})`;
        const found = new Map(rows.map((row) => [`${row.versionId}/${row.id}`, toSample(row)]));
        return keys.map((key) => found.get(`${key.versionId}/${key.sampleId}`) ?? null);
      },
      { cacheKeyFn: (key) => `${key.versionId}/${key.sampleId}` },
    ),
  };
}

function toSample(row: VersionSampleRow): Sample {
  return {
    id: row.id,
    datasetId: row.datasetId,
    versionId: row.versionId,
    sampleClass: { id: row.classId, name: row.className },
    split: row.split,
    width: row.width,
    height: row.height,
    format: row.format,
    sha256: row.sha256,
    originalPath: row.originalPath,
    metadata: row.metadata ?? null,
  };
}
