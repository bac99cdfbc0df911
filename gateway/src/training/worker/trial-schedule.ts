import {
  createPruner,
  createSampler,
  gridSize,
  objectiveSign,
  type CompletedTrial,
  type Sampler,
} from "../search";
import type { TrainingOptions, TrialParams, TrialState } from "../training-contracts";
import { JobInterrupted } from "../../jobs/job-kind";
import type { JobRun } from "./run-context";
import { isRefusedByTier } from "./training-tier";
import { createTrial, finishTrial, listTrials, metricCurves, type TrialRow } from "./trial-rows";
import { runTrial, type TrialPruning } from "./trial-run";

const unfinished: readonly TrialState[] = ["PENDING", "RUNNING"];
const finished: readonly TrialState[] = ["SUCCEEDED", "PRUNED"];

/** How many trials a job plans: the progress bar's denominator. */
export function plannedTrials(options: TrainingOptions): number {
  if (!options.enableHyperparameterTuning) return 1;
  if (options.strategy === "GRID") return Math.min(options.maxTrials, gridSize(options.hpSpace));
  return options.maxTrials;
}

/**
 * Runs the job's trials in order and returns them all: one trial (number 0) with the job's
 * options, or a search's trials as its sampler suggests them until maxTrials or until it has
 * nothing more to try. Trials already finished (before a restart) are kept; an unfinished one
 * is resumed first; the sampler replays the stored history, so it suggests what it would have.
 *
 * In a search a trial the tier refuses (say, its learning rate makes the loss NaN) fails alone
 * and the search goes on; the job fails when no trial succeeded. Without a search that refusal
 * fails the job.
 */
export async function runTrials(run: JobRun): Promise<TrialRow[]> {
  const { prisma } = run.deps;
  const { jobId } = run.record;
  const { options } = run;
  const sampler = options.enableHyperparameterTuning
    ? createSampler(options.strategy, options.hpSpace, { seed: options.seed, maxTrials: options.maxTrials })
    : null;
  let trials = await listTrials(prisma, jobId);
  for (;;) {
    const next =
      trials.find((trial) => unfinished.includes(trial.status)) ?? (await nextTrial(run, sampler, trials));
    if (!next) return trials;
    const done = trials.filter((trial) => trial.number !== next.number && !unfinished.includes(trial.status));
    try {
      await runTrial(run, next, done.length, sampler ? await pruning(run, done) : null);
    } catch (error) {
      if (error instanceof JobInterrupted || !sampler || !isRefusedByTier(error)) throw error;
      await failTrial(run, next, (error as Error).message);
    }
    trials = await listTrials(prisma, jobId);
  }
}

async function nextTrial(run: JobRun, sampler: Sampler | null, trials: TrialRow[]): Promise<TrialRow | null> {
  const { prisma } = run.deps;
  const { jobId } = run.record;
  // Trials record the parameters they varied: none without a search.
  if (!sampler) return trials.length === 0 ? createTrial(prisma, jobId, 0, {}) : null;
  if (trials.length >= run.options.maxTrials) return null;
  const sign = objectiveSign(run.options.monitor);
  const history: CompletedTrial[] = trials.map((trial) => ({
    params: trial.params as TrialParams,
    objective: trial.objective === null ? null : sign * trial.objective,
    state: trial.status,
  }));
  const suggested = sampler.next(history);
  if (!suggested) return null;
  return createTrial(prisma, jobId, trials.length, suggested);
}

/** Median pruning against the trials finished so far, when the job asks for it. */
async function pruning(run: JobRun, done: TrialRow[]): Promise<TrialPruning | null> {
  const { options } = run;
  if (!options.pruneTrials) return null;
  const finishedTrials = done.filter((trial) => finished.includes(trial.status)).map((trial) => trial.number);
  const sign = objectiveSign(options.monitor);
  const curves = await metricCurves(run.deps.prisma, run.record.jobId, finishedTrials, options.monitor);
  return {
    // A fifth of the epochs (at least one) before judging; two finished trials to judge against.
    pruner: createPruner({
      rule: "median",
      warmupEpochs: Math.max(1, Math.floor(options.epochs / 5)),
      minTrials: 2,
    }),
    completedCurves: curves.map((curve) => curve.map((value) => sign * value)),
  };
}

async function failTrial(run: JobRun, trial: TrialRow, reason: string): Promise<void> {
  const { prisma } = run.deps;
  const { events } = run;
  const { jobId } = run.record;
  const row = await finishTrial(prisma, jobId, trial.number, {
    status: "FAILED",
    objective: null,
    bestEpoch: null,
    epochsRun: (
      await prisma.trainingTrial.findUniqueOrThrow({
        where: { jobId_number: { jobId, number: trial.number } },
      })
    ).epochsRun,
    metrics: null,
    error: reason,
  });
  await events.append(jobId, "trial", {
    trial: row.number,
    state: "FAILED",
    params: row.params as TrialParams,
    objective: null,
    epochsRun: row.epochsRun,
  });
}
