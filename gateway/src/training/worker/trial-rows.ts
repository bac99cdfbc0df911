import { Prisma, type PrismaClient, type TrainingTrial } from "../../generated/prisma/client";
import type { TrialParams, TrialState } from "../training-contracts";
import type { StoredEvaluation } from "../training-rows";

export type TrialRow = TrainingTrial;

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** A job's trials in order. */
export function listTrials(prisma: PrismaClient, jobId: string): Promise<TrialRow[]> {
  return prisma.trainingTrial.findMany({ where: { jobId }, orderBy: { number: "asc" } });
}

export function createTrial(
  prisma: PrismaClient,
  jobId: string,
  number: number,
  params: TrialParams,
): Promise<TrialRow> {
  return prisma.trainingTrial.upsert({
    where: { jobId_number: { jobId, number } },
    create: { jobId, number, params: json(params) },
    update: {},
  });
}

export function markTrialRunning(prisma: PrismaClient, jobId: string, number: number): Promise<TrialRow> {
  return prisma.trainingTrial.update({
    where: { jobId_number: { jobId, number } },
    data: { status: "RUNNING", error: null },
  });
}

/** Sets startedAt the first time a trial starts (a resumed trial keeps it). */
export async function stampTrialStart(prisma: PrismaClient, jobId: string, number: number): Promise<void> {
  await prisma.trainingTrial.updateMany({
    where: { jobId, number, startedAt: null },
    data: { startedAt: new Date() },
  });
}

/**
 * One epoch's metrics, keyed by (job, trial, epoch, name): an epoch run again after a resume
 * overwrites its values instead of adding a second copy.
 */
export async function saveEpochMetrics(
  prisma: PrismaClient,
  jobId: string,
  trial: number,
  epoch: number,
  values: Record<string, number>,
): Promise<void> {
  const entries = Object.entries(values).filter(([, value]) => Number.isFinite(value));
  const names = entries.map(([name]) => name);
  const numbers = entries.map(([, value]) => value);
  await prisma.$transaction([
    prisma.$executeRaw`
      INSERT INTO "TrainingMetric" ("jobId", trial, epoch, name, value)
      SELECT ${jobId}::uuid, ${trial}, ${epoch}, m.name, m.value
      FROM unnest(${names}::text[], ${numbers}::float8[]) AS m(name, value)
      ON CONFLICT ("jobId", trial, epoch, name) DO UPDATE SET value = EXCLUDED.value`,
    prisma.trainingTrial.update({
      where: { jobId_number: { jobId, number: trial } },
      data: { epochsRun: epoch, metrics: json(values) },
    }),
  ]);
}

export async function saveCheckpoint(
  prisma: PrismaClient,
  jobId: string,
  trial: number,
  epoch: number,
  state: Uint8Array,
): Promise<void> {
  await prisma.trainingTrial.update({
    where: { jobId_number: { jobId, number: trial } },
    data: { checkpoint: Buffer.from(state), checkpointEpoch: epoch },
  });
}

export interface TrialEnd {
  status: Extract<TrialState, "SUCCEEDED" | "PRUNED" | "FAILED">;
  objective: number | null;
  bestEpoch: number | null;
  epochsRun: number;
  /** The last epoch's values. */
  metrics: Record<string, number> | null;
  evaluation?: StoredEvaluation | null;
  /** The result's head (SUCCEEDED): what export reads. */
  checkpoint?: Uint8Array;
  checkpointEpoch?: number;
  error?: string | null;
}

export function finishTrial(
  prisma: PrismaClient,
  jobId: string,
  number: number,
  end: TrialEnd,
): Promise<TrialRow> {
  return prisma.trainingTrial.update({
    where: { jobId_number: { jobId, number } },
    data: {
      status: end.status,
      objective: end.objective,
      bestEpoch: end.bestEpoch,
      epochsRun: end.epochsRun,
      metrics: end.metrics ? json(end.metrics) : Prisma.DbNull,
      evaluation: end.evaluation ? json(end.evaluation) : Prisma.DbNull,
      ...(end.checkpoint
        ? { checkpoint: new Uint8Array(end.checkpoint), checkpointEpoch: end.checkpointEpoch ?? null }
        : {}),
      error: end.error ?? null,
      finishedAt: new Date(),
    },
  });
}

/** Every stored metric of one trial by epoch (1 first). */
export async function trialHistory(
  prisma: PrismaClient,
  jobId: string,
  trial: number,
): Promise<Map<number, Record<string, number>>> {
  const rows = await prisma.trainingMetric.findMany({
    where: { jobId, trial },
    orderBy: [{ epoch: "asc" }, { name: "asc" }],
  });
  const byEpoch = new Map<number, Record<string, number>>();
  for (const row of rows) {
    const values = byEpoch.get(row.epoch) ?? {};
    values[row.name] = row.value;
    byEpoch.set(row.epoch, values);
  }
  return byEpoch;
}

/** One curve of `metric` per trial in `trials` (in that order), epoch 1 first. */
export async function metricCurves(
  prisma: PrismaClient,
  jobId: string,
  trials: readonly number[],
  metric: string,
): Promise<number[][]> {
  if (trials.length === 0) return [];
  const rows = await prisma.trainingMetric.findMany({
    where: { jobId, trial: { in: [...trials] }, name: metric },
    orderBy: [{ trial: "asc" }, { epoch: "asc" }],
  });
  return trials.map((trial) => rows.filter((row) => row.trial === trial).map((row) => row.value));
}
