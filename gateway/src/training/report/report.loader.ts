import DataLoader from "dataloader";
import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { Sample } from "../../datasets/datasets.types";
import { toLabelledSample, type LabelledSampleColumns } from "../../datasets/sample-rows";
import { byKey, uuidList } from "../../graphql/loader-results";
import type { StoredJobEvaluation, StoredSampleResults } from "../training-rows";

/** One job's per-sample results as stored (none on jobs trained before they were kept). */
export interface JobSampleResults {
  validation: StoredSampleResults | null;
  test: StoredSampleResults | null;
}

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
    FROM "TrainingJob" WHERE id IN (${uuidList(jobIds)}) AND evaluation IS NOT NULL`;
  return new Map(rows.map((row) => [row.id, row.evaluation]));
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
        FROM "TrainingJob" WHERE id IN (${uuidList(jobIds)})`;
      return byKey(jobIds, rows, (row) => row.id).map((row) => ({
        validation: row?.validation ?? null,
        test: row?.test ?? null,
      }));
    }),
    versionSample: new DataLoader<VersionSampleKey, Sample | null, string>(
      async (keys) => {
        const rows = await prisma.$queryRaw<LabelledSampleColumns[]>`
          SELECT vs."versionId"::text AS "versionId", s.id::text AS id, s."datasetId"::text AS "datasetId",
                 s.sha256, s.format, s.width, s.height, s."originalPath", vs.split, vs.metadata,
                 c.id::text AS "classId", c.name AS "className"
          FROM "VersionSample" vs
          JOIN "Sample" s ON s.id = vs."sampleId"
          JOIN "DatasetClass" c ON c.id = vs."classId"
          WHERE (vs."versionId", vs."sampleId") IN (${Prisma.join(
            keys.map((key) => Prisma.sql`(${key.versionId}::uuid, ${key.sampleId}::uuid)`),
          )})`;
        return byKey(
          keys.map((key) => `${key.versionId}/${key.sampleId}`),
          rows.map(toLabelledSample),
          (sample) => `${sample.versionId}/${sample.id}`,
        );
      },
      { cacheKeyFn: (key) => `${key.versionId}/${key.sampleId}` },
    ),
  };
}
