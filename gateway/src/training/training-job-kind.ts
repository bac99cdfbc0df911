import type { Prisma } from "../generated/prisma/client";
import { exponentialBackoff, type JobKind } from "../jobs/job-kind";
import type { TrainingEventPayloads } from "./training-contracts";

/** The Job's payload: the TrainingJob row of the same id holds the rest. */
export interface TrainingJobPayload {
  trainingJobId: string;
}

/** The events a training run appends itself (progress and endings are the platform's). */
export type TrainingJobEvents = Pick<TrainingEventPayloads, "metrics" | "trial">;

export const TRAIN_JOB = "train-model";

export const trainingJobKind: JobKind<TrainingJobPayload, TrainingJobEvents> = {
  name: TRAIN_JOB,
  graphqlName: "TRAIN_MODEL",
  description: "Trains a head on a frozen base model (with hyperparameter search when asked)",
  payloadVersion: 1,
  readPayload(stored) {
    const { trainingJobId } = stored as Partial<TrainingJobPayload>;
    if (typeof trainingJobId !== "string") throw new Error("A train-model payload names its training job");
    return { trainingJobId };
  },
  // Each resume (after a worker died or stopped) counts as an attempt too.
  maxAttempts: 5,
  retryDelayMs: exponentialBackoff(15_000, 120_000),
  checkpoint: "every trial's state after its last finished epoch (TrainingTrial.checkpoint)",
  eventTypes: ["metrics", "trial"],
};

/** A failed or cancelled job's trials stop with it: running ones take its status, pending ones are cancelled. */
export async function stopTrials(
  tx: Prisma.TransactionClient,
  jobId: string,
  status: "FAILED" | "CANCELLED",
): Promise<void> {
  const now = new Date();
  const reason = status === "FAILED" ? await failureReason(tx, jobId) : null;
  await tx.trainingTrial.updateMany({
    where: { jobId, status: "RUNNING" },
    data: { status, error: reason, finishedAt: now },
  });
  await tx.trainingTrial.updateMany({
    where: { jobId, status: "PENDING" },
    data: { status: "CANCELLED", finishedAt: now },
  });
}

async function failureReason(tx: Prisma.TransactionClient, jobId: string): Promise<string | null> {
  const job = await tx.job.findUnique({ where: { id: jobId }, select: { errorMessage: true } });
  return job?.errorMessage ?? null;
}
