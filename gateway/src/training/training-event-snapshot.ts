import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { JobState, TrainingEventPayloads, TrainingEventRecord } from "./training-contracts";

type Row<T extends keyof TrainingEventPayloads> = Extract<TrainingEventRecord, { type: T }>;

const finalStates: readonly JobState[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** The highest seq in the job's log; 0 while it has none. */
export async function lastSeq(prisma: PrismaClient, jobId: string): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ seq: number }>>`
    SELECT coalesce(max(seq), 0)::int AS seq FROM "TrainingEvent" WHERE "jobId" = ${jobId}::uuid`;
  return row?.seq ?? 0;
}

/**
 * What a subscriber joining now is told first, as of the log's event `seq`: a progress event
 * built from the job row and, when the job has finished, its completed or failed event (the
 * logged one, else one built from the row). A finished job's stream ends there.
 */
export async function currentState(
  prisma: PrismaClient,
  jobId: string,
  seq: number,
): Promise<TrainingEventRecord[]> {
  const [job, events] = await Promise.all([
    prisma.trainingJob.findUnique({
      where: { id: jobId },
      include: { resultModelVersion: { select: { id: true } } },
    }),
    prisma.$queryRaw<Array<{ seq: number; type: string; payload: unknown; createdAt: Date }>>`
      SELECT DISTINCT ON (type) seq, type, payload, "createdAt" FROM "TrainingEvent"
      WHERE "jobId" = ${jobId}::uuid AND seq <= ${seq}
        AND type IN (${Prisma.join(["progress", "completed", "failed"])})
      ORDER BY type, seq DESC`,
  ]);
  const now = new Date();
  if (!job) {
    const payload = { status: "FAILED" as const, reason: "The training job was deleted" };
    return [{ jobId, seq, type: "failed", payload, createdAt: now }];
  }
  const logged = (type: string) => events.find((e) => e.type === type);
  const lastProgress = logged("progress")?.payload as TrainingEventPayloads["progress"] | undefined;
  const finalEvents = events.filter((e) => e.type !== "progress").sort((a, b) => b.seq - a.seq);
  const loggedFinal = finalEvents[0] ? ({ ...finalEvents[0], jobId } as TrainingEventRecord) : null;
  const status = loggedFinal ? statusOf(loggedFinal) : (job.status as JobState);
  const sameEpoch = lastProgress?.epoch === job.currentEpoch;
  const progress: Row<"progress"> = {
    jobId,
    seq,
    type: "progress",
    createdAt: now,
    payload: {
      status,
      phase: lastProgress?.phase ?? (status === "QUEUED" ? "QUEUED" : "FEATURES"),
      trial: lastProgress?.trial ?? 0,
      epoch: job.currentEpoch,
      totalEpochs: job.totalEpochs,
      step: sameEpoch ? (lastProgress?.step ?? 0) : 0,
      totalSteps: lastProgress?.totalSteps ?? 0,
      progress: job.progress,
    },
  };
  if (loggedFinal) return [progress, loggedFinal];
  if (!finalStates.includes(status)) return [progress];
  const finishedAt = job.finishedAt ?? now;
  if (status === "SUCCEEDED") {
    const payload = { resultModelVersionId: job.resultModelVersion?.id ?? "", evaluation: job.evaluation };
    return [progress, { jobId, seq, type: "completed", payload, createdAt: finishedAt }];
  }
  const failedStatus = status as "FAILED" | "CANCELLED";
  const reason = job.error ?? (failedStatus === "CANCELLED" ? "The job was cancelled" : "The job failed");
  return [
    progress,
    { jobId, seq, type: "failed", payload: { status: failedStatus, reason }, createdAt: finishedAt },
  ];
}

function statusOf(record: TrainingEventRecord): JobState {
  if (record.type === "completed") return "SUCCEEDED";
  if (record.type === "failed") return record.payload.status;
  return "RUNNING";
}
