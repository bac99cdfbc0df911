import type { Prisma } from "../../generated/prisma/client";
import { exponentialBackoff, type JobKind } from "../../jobs/job-kind";

/** The Job's payload: the RetrainingRun row of the same id holds the rest. */
export interface RetrainJobPayload {
  retrainingRunId: string;
}

export const RETRAIN_JOB = "retrain-model";

export const retrainJobKind: JobKind<RetrainJobPayload> = {
  name: RETRAIN_JOB,
  graphqlName: "RETRAIN_MODEL",
  description:
    "A retraining policy fired: a dataset version with the corrections, a training job on it, the challenger against the champion, the promotion decision",
  payloadVersion: 1,
  readPayload(stored) {
    const { retrainingRunId } = stored as Partial<RetrainJobPayload>;
    if (typeof retrainingRunId !== "string")
      throw new Error("A retrain-model payload names its retraining run");
    return { retrainingRunId };
  },
  // Resumes count as attempts, and a run resumes whenever its worker stops while it waits.
  maxAttempts: 10,
  retryDelayMs: exponentialBackoff(15_000, 120_000),
  checkpoint:
    "its steps' results on the RetrainingRun row: the dataset version (with the feedback marked used, in one transaction), the training job (its child Job), then the decision",
  eventTypes: [],
};

/**
 * A run that failed or was cancelled stops its training job too and records that it promoted
 * nothing (a decision it already stored stays).
 */
export async function settleRun(
  tx: Prisma.TransactionClient,
  jobId: string,
  status: "FAILED" | "CANCELLED",
): Promise<void> {
  await tx.job.updateMany({
    where: { parentId: jobId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { cancelRequested: true },
  });
  const job = await tx.job.findUnique({ where: { id: jobId }, select: { errorMessage: true } });
  const run = await tx.retrainingRun.findUnique({ where: { id: jobId }, select: { decision: true } });
  if (!run) return;
  // Step (a) may have stored the corrections summary alone; a decision proper has a reason.
  const stored = (run.decision ?? {}) as Record<string, unknown>;
  const reason =
    status === "CANCELLED"
      ? "the run was cancelled"
      : `the run failed: ${job?.errorMessage ?? "unknown error"}`;
  await tx.retrainingRun.update({
    where: { id: jobId },
    data: {
      finishedAt: new Date(),
      promoted: false,
      ...(stored.reason === undefined && {
        decision: { ...stored, promoted: false, reason } as Prisma.InputJsonValue,
      }),
    },
  });
}
