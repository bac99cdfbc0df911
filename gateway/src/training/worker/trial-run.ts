import { setTimeout as sleep } from "node:timers/promises";
import type { Pruner } from "../search";
import { objectiveSign } from "../search";
import type { TrialParams } from "../training-contracts";
import { trialEvaluation } from "./evaluations";
import { toHyperparameters, trialOptions } from "./hyperparameters";
import { stageImages } from "./image-staging";
import type { JobRun } from "./run-context";
import { isTierGone, tierStatus } from "./training-tier";
import { tierSamples } from "./training-samples";
import { streamTrial, type StreamOutcome } from "./trial-stream";
import {
  finishTrial,
  markTrialRunning,
  stampTrialStart,
  trialHistory,
  type TrialEnd,
  type TrialRow,
} from "./trial-rows";

export interface TrialPruning {
  pruner: Pruner;
  /** Minimised monitor curves of the trials finished before this one. */
  completedCurves: number[][];
}

/**
 * Runs one trial to its end (SUCCEEDED or PRUNED) and returns its row. A trial with a checkpoint
 * continues after the checkpoint's epoch. When the tier goes away mid-stream the trial is retried
 * from its last checkpoint after a wait, on whichever tier is up, a bounded number of times.
 * Throws the tier's refusal (the caller fails the trial), or the job's interruption.
 */
export async function runTrial(
  run: JobRun,
  trial: TrialRow,
  finishedBefore: number,
  pruning: TrialPruning | null,
): Promise<TrialRow> {
  const { prisma, store } = run.deps;
  const { events } = run;
  const { jobId } = run.record;
  const params = trial.params as TrialParams;
  await markTrialRunning(prisma, jobId, trial.number);
  await stampTrialStart(prisma, jobId, trial.number);
  await events.append(jobId, "trial", {
    trial: trial.number,
    state: "RUNNING",
    params,
    objective: null,
    epochsRun: trial.epochsRun,
  });
  await run.progress.trialStarted(trial.number, finishedBefore, trial.checkpointEpoch ?? 0);
  const options = trialOptions(run.options, params);
  const hyperparameters = toHyperparameters(options, run.labels, run.trainCounts);
  const delays = run.settings.tierRetryDelaysMs;
  // Failures in a row: an attempt that got further (a newer checkpoint) starts the count again.
  let failures = 0;
  let reached = -1;
  for (;;) {
    const { checkpoint, checkpointEpoch } = await prisma.trainingTrial.findUniqueOrThrow({
      where: { jobId_number: { jobId, number: trial.number } },
      select: { checkpoint: true, checkpointEpoch: true },
    });
    if ((checkpointEpoch ?? 0) > reached) failures = 0;
    reached = checkpointEpoch ?? 0;
    try {
      await stageImages(
        run.tier,
        run.address,
        store,
        run.samples.map((sample) => sample.sha256),
        run.signal,
      );
      const outcome = await streamTrial({
        prisma,
        events,
        progress: run.progress,
        tier: run.tier,
        address: run.address,
        jobId,
        trial: trial.number,
        request: {
          job_id: jobId,
          trial: trial.number,
          base: run.base,
          labels: run.labels,
          samples: tierSamples(run.samples),
          hyperparameters,
          checkpoint: checkpoint ?? Buffer.alloc(0),
        },
        signal: run.signal,
        monitor: options.monitor,
        sign: objectiveSign(options.monitor),
        pruning,
      });
      return await endTrial(run, trial.number, params, outcome);
    } catch (error) {
      if (run.signal.aborted) throw run.signal.reason;
      const delay = delays[failures];
      failures += 1;
      // The tier restarted (its staged images may be gone) or went away: continue elsewhere or later.
      const transient =
        isTierGone(error) || (tierStatus(error) === "FAILED_PRECONDITION" && (await imagesLost(run)));
      if (!transient || delay === undefined) {
        if (transient)
          throw new Error(
            `The inference tier went away ${failures} times in a row while training trial ${trial.number}: ${(error as Error).message}`,
          );
        throw error;
      }
      run.deps.logger.warn(
        { err: error, jobId, trial: trial.number, retryInMs: delay },
        "the inference tier went away during training; resuming from the last checkpoint",
      );
      await sleep(delay, undefined, { signal: run.signal }).catch(() => {
        throw run.signal.reason;
      });
      run.address = run.tier.pickTier();
    }
  }
}

/** Whether the tier lacks images the job staged (it restarted, or evicted them). */
async function imagesLost(run: JobRun): Promise<boolean> {
  const missing = await run.tier
    .missingImages(run.address, [...new Set(run.samples.map((sample) => sample.sha256))], run.signal)
    .catch(() => []);
  return missing.length > 0;
}

async function endTrial(
  run: JobRun,
  number: number,
  params: TrialParams,
  outcome: StreamOutcome,
): Promise<TrialRow> {
  const { prisma } = run.deps;
  const { events } = run;
  const { jobId } = run.record;
  const history = await trialHistory(prisma, jobId, number);
  const lastEpoch = [...history.values()].at(-1) ?? null;
  let end: TrialEnd;
  if (outcome.kind === "result") {
    const { result } = outcome;
    end = {
      status: "SUCCEEDED",
      objective: result.objective,
      bestEpoch: result.best_epoch,
      epochsRun: result.epochs_run,
      metrics: lastEpoch,
      evaluation: trialEvaluation(result, run.samples),
      checkpoint: result.checkpoint,
      checkpointEpoch: result.best_epoch,
    };
  } else {
    const monitor = trialOptions(run.options, params).monitor;
    const sign = objectiveSign(monitor);
    let bestEpoch: number | null = null;
    for (const [epoch, values] of history) {
      const value = values[monitor];
      if (value === undefined || epoch > outcome.epoch) continue;
      const best = bestEpoch === null ? undefined : history.get(bestEpoch)?.[monitor];
      if (best === undefined || sign * value < sign * best) bestEpoch = epoch;
    }
    end = {
      status: "PRUNED",
      objective: bestEpoch === null ? null : (history.get(bestEpoch)?.[monitor] ?? null),
      bestEpoch,
      epochsRun: outcome.epoch,
      metrics: lastEpoch,
    };
  }
  const row = await finishTrial(prisma, jobId, number, end);
  await events.append(jobId, "trial", {
    trial: number,
    state: end.status,
    params,
    objective: end.objective,
    epochsRun: end.epochsRun,
  });
  return row;
}
