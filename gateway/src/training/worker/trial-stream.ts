import type { TrainingResult__Output } from "@tessera/proto/generated/tessera/training/v1/TrainingResult";
import type { PrismaClient } from "../../generated/prisma/client";
import type { Pruner } from "../search";
import type { Monitor } from "../training-contracts";
import type { JobProgress } from "./job-progress";
import type { TrainingEventSink } from "./run-context";
import type { TrainingTier, TrainRequest } from "./training-tier";
import { saveCheckpoint, saveEpochMetrics } from "./trial-rows";

export type StreamOutcome =
  { kind: "result"; result: TrainingResult__Output } | { kind: "pruned"; epoch: number };

export interface TrialStream {
  prisma: PrismaClient;
  events: TrainingEventSink;
  progress: JobProgress;
  tier: TrainingTier;
  address: string;
  jobId: string;
  trial: number;
  request: TrainRequest;
  signal: AbortSignal;
  monitor: Monitor;
  /** +1 when lower is better, −1 when higher is: the pruner compares minimised values. */
  sign: 1 | -1;
  /** With the minimised monitor curves of the trials finished before this one. */
  pruning: { pruner: Pruner; completedCurves: number[][] } | null;
}

/**
 * One Train call of one trial, each event stored as it arrives: metrics per epoch (and an event),
 * the checkpoint after each epoch (what a resumed run continues from), progress throttled.
 * Returns the tier's result, or that the pruner stopped the trial (leaving the loop cancels the
 * call on the tier).
 */
export async function streamTrial(run: TrialStream): Promise<StreamOutcome> {
  const { prisma, jobId, trial } = run;
  for await (const event of run.tier.train(run.address, run.request, run.signal)) {
    switch (event.event) {
      case "features": {
        const { done, total } = event.features!;
        await run.progress.features(done, total);
        break;
      }
      case "progress": {
        const { epoch, step, total_steps: totalSteps } = event.progress!;
        await run.progress.step(epoch, step, totalSteps);
        break;
      }
      case "metrics": {
        const { epoch, values } = event.metrics!;
        await saveEpochMetrics(prisma, jobId, trial, epoch, values);
        await run.events.append(jobId, "metrics", { trial, epoch, values });
        await run.progress.epochDone(epoch);
        const value = values[run.monitor];
        if (run.pruning && value !== undefined) {
          const { pruner, completedCurves } = run.pruning;
          if (pruner.shouldPrune(epoch, run.sign * value, completedCurves)) return { kind: "pruned", epoch };
        }
        break;
      }
      case "checkpoint": {
        const { epoch, state } = event.checkpoint!;
        await saveCheckpoint(prisma, jobId, trial, epoch, state);
        break;
      }
      case "result":
        return { kind: "result", result: event.result! };
    }
  }
  throw new Error(`The inference tier ended trial ${trial}'s Train stream without a result`);
}
