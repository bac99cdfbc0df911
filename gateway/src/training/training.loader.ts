import DataLoader from "dataloader";
import type { Prisma, PrismaClient, TrainingTrial as TrainingTrialRow } from "../generated/prisma/client";
import { groupBy, loadInGroups } from "../graphql/loader-results";
import { toModelVersion } from "../models/model-rows";
import type { ModelVersion } from "../models/models.types";
import { resultIsPublicOf, resultVisibilityInclude } from "./training-access";
import { evaluationSummaries } from "./report/report.loader";
import { toTrainingJob } from "./training-rows";
import type { TrainingJob, TrainingMetricPoint } from "./training.types";

/** `TrainingJob.metrics(name, trial)` of one job; null asks for every name or trial. */
export interface MetricHistoryKey {
  jobId: string;
  name: string | null;
  trial: number | null;
}

/** What a trained model version records of where it came from. */
export interface VersionLineage {
  trainingJobId: string | null;
  trainedFromId: string | null;
  trainedOnId: string | null;
  hyperparameters: unknown;
}

/** A trial row without its checkpoint (the tier's opaque state, up to megabytes): never read here. */
export type StoredTrial = Omit<TrainingTrialRow, "checkpoint">;

export type VisibleTrainingJob = TrainingJob & { resultIsPublic: boolean };

/** One batched statement per relation per request, whatever the size of the page. */
export function createTrainingLoaders(prisma: PrismaClient) {
  return {
    trainingJobById: new DataLoader<string, VisibleTrainingJob | null>(async (ids) => {
      // The jobs first: a job turns SUCCEEDED in the transaction that stores its results, so rows
      // read after it are never older than the status (read together, a page could straddle it).
      const jobs = new Map(
        (await prisma.job.findMany({ where: { id: { in: [...ids] } } })).map((job) => [job.id, job]),
      );
      const [rows, evaluations] = await Promise.all([
        prisma.trainingJob.findMany({
          where: { id: { in: [...jobs.keys()] } },
          include: resultVisibilityInclude,
          // Per-sample results and the report are read where they are shown, not with every job.
          omit: { evaluation: true, report: true },
        }),
        evaluationSummaries(prisma, ids),
      ]);
      const byId = new Map(
        rows.map((r) => [
          r.id,
          {
            ...toTrainingJob({
              ...r,
              job: jobs.get(r.id)!,
              evaluation: (evaluations.get(r.id) ?? null) as Prisma.JsonValue,
              report: null,
            }),
            resultIsPublic: resultIsPublicOf(r),
          },
        ]),
      );
      return ids.map((id) => byId.get(id) ?? null);
    }),
    trainingTrialsByJobId: new DataLoader<string, StoredTrial[]>(async (jobIds) => {
      const rows = await prisma.trainingTrial.findMany({
        where: { jobId: { in: [...jobIds] } },
        omit: { checkpoint: true },
        orderBy: { number: "asc" },
      });
      return groupBy(jobIds, rows, (t) => t.jobId);
    }),
    trainingMetricHistory: new DataLoader<MetricHistoryKey, TrainingMetricPoint[], string>(
      (keys) => loadMetricHistories(prisma, keys),
      { cacheKeyFn: (key) => JSON.stringify([key.jobId, key.name, key.trial]) },
    ),
    trainingResultByJobId: new DataLoader<string, ModelVersion | null>(async (jobIds) => {
      const rows = await prisma.modelVersion.findMany({ where: { trainingJobId: { in: [...jobIds] } } });
      const byJob = new Map(rows.map((r) => [r.trainingJobId!, toModelVersion(r)]));
      return jobIds.map((id) => byJob.get(id) ?? null);
    }),
    lineageByVersionId: new DataLoader<string, VersionLineage | null>(async (versionIds) => {
      const rows = await prisma.modelVersion.findMany({
        where: { id: { in: [...versionIds] } },
        select: {
          id: true,
          trainingJobId: true,
          trainedFromId: true,
          trainedOnId: true,
          hyperparameters: true,
        },
      });
      const byId = new Map(rows.map(({ id, ...lineage }) => [id, lineage]));
      return versionIds.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type TrainingLoaders = ReturnType<typeof createTrainingLoaders>;

/** Keys asking for the same (name, trial) of different jobs share one statement. */
function loadMetricHistories(
  prisma: PrismaClient,
  keys: readonly MetricHistoryKey[],
): Promise<TrainingMetricPoint[][]> {
  return loadInGroups(
    keys,
    (key) => JSON.stringify([key.name, key.trial]),
    async (group) => {
      const { name, trial } = group[0]!;
      const rows = await prisma.trainingMetric.findMany({
        where: {
          jobId: { in: group.map((k) => k.jobId) },
          ...(name !== null && { name }),
          ...(trial !== null && { trial }),
        },
        select: { jobId: true, trial: true, epoch: true, name: true, value: true },
        orderBy: [{ trial: "asc" }, { epoch: "asc" }, { name: "asc" }],
      });
      return groupBy(
        group.map((k) => k.jobId),
        rows,
        (r) => r.jobId,
      ).map((points) => points.map(({ jobId: _job, ...point }) => point));
    },
  );
}
