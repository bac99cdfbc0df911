import { Prisma, type PrismaClient, type TrainingJob } from "../../generated/prisma/client";
import type { TrainingEventPayloads, TrainingEventType } from "../training-contracts";
import type { StoredJobEvaluation } from "../training-rows";

/** Where the worker's events go (the gateway's TrainingEventLog). */
export interface TrainingEventSink {
  append<T extends TrainingEventType>(
    jobId: string,
    type: T,
    payload: TrainingEventPayloads[T],
  ): Promise<unknown>;
}

export interface Liveness {
  /** False once another worker took the job over, or it left RUNNING without us. */
  owned: boolean;
  cancelRequested: boolean;
}

/**
 * Takes the job for this worker when it waits (QUEUED) or its worker stopped saying it is alive
 * (RUNNING with a heartbeat older than `staleAfterMs`). One statement, so two workers handed the
 * same job never both get it. Database time throughout: workers' clocks may disagree.
 */
export async function claimJob(
  prisma: PrismaClient,
  jobId: string,
  workerId: string,
  queueJobId: string,
  staleAfterMs: number,
): Promise<TrainingJob | null> {
  const [claimed] = await prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "TrainingJob"
    SET status = 'RUNNING', "workerId" = ${workerId}, "heartbeatAt" = now(), attempts = attempts + 1,
        "startedAt" = coalesce("startedAt", now()), "queueJobId" = ${queueJobId}::uuid, error = NULL
    WHERE id = ${jobId}::uuid
      AND (status = 'QUEUED' OR (status = 'RUNNING'
        AND coalesce("heartbeatAt", "createdAt") < now() - ${staleAfterMs} * interval '1 millisecond'))
    RETURNING id::text`;
  return claimed ? prisma.trainingJob.findUnique({ where: { id: jobId } }) : null;
}

/**
 * The claimed job's row as its worker changes it. Every write is conditional on this worker still
 * holding the job, so a worker that lost it (to the stale-job sweep) changes nothing; events are
 * appended only for transitions that happened.
 */
export class JobRecord {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: TrainingEventSink,
    readonly jobId: string,
    readonly workerId: string,
  ) {}

  private get mine() {
    return { id: this.jobId, workerId: this.workerId, status: "RUNNING" as const };
  }

  /** Refreshes heartbeatAt; says whether the job is still ours and whether a cancel was asked for. */
  async heartbeat(): Promise<Liveness> {
    const [row] = await this.prisma.$queryRaw<Array<{ cancelRequested: boolean }>>`
      UPDATE "TrainingJob" SET "heartbeatAt" = now()
      WHERE id = ${this.jobId}::uuid AND "workerId" = ${this.workerId} AND status = 'RUNNING'
      RETURNING "cancelRequested"`;
    return row ? { owned: true, cancelRequested: row.cancelRequested } : this.liveness();
  }

  async liveness(): Promise<Liveness> {
    const row = await this.prisma.trainingJob.findUnique({
      where: { id: this.jobId },
      select: { status: true, workerId: true, cancelRequested: true },
    });
    const owned = row?.status === "RUNNING" && row.workerId === this.workerId;
    // A job the API marked CANCELLED while we ran is a cancel, not a takeover.
    return { owned, cancelRequested: row?.cancelRequested === true || row?.status === "CANCELLED" };
  }

  async update(data: Prisma.TrainingJobUpdateManyMutationInput): Promise<boolean> {
    const { count } = await this.prisma.trainingJob.updateMany({ where: this.mine, data });
    return count > 0;
  }

  async succeed(resultModelVersionId: string, evaluation: StoredJobEvaluation): Promise<boolean> {
    const done = await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.trainingJob.updateMany({
        where: this.mine,
        data: {
          status: "SUCCEEDED",
          evaluation: evaluation as unknown as Prisma.InputJsonValue,
          progress: 1,
          error: null,
          finishedAt: new Date(),
          heartbeatAt: null,
        },
      });
      if (count === 0) return false;
      await tx.modelVersion.update({
        where: { id: resultModelVersionId },
        data: { trainingJobId: this.jobId },
      });
      return true;
    });
    if (done) await this.events.append(this.jobId, "completed", { resultModelVersionId, evaluation });
    return done;
  }

  /** FAILED with `reason`; the trial that was running fails with it. */
  async fail(reason: string): Promise<boolean> {
    const done = await this.finish("FAILED", reason);
    if (done) await this.events.append(this.jobId, "failed", { status: "FAILED", reason });
    return done;
  }

  /** CANCELLED; trials not finished are cancelled with it. */
  async cancel(): Promise<boolean> {
    const reason = "The job was cancelled";
    const done = await this.finish("CANCELLED", reason);
    if (done) {
      await this.events.append(this.jobId, "failed", { status: "CANCELLED", reason });
      return true;
    }
    // The API may have marked the running job CANCELLED itself; its trials still stop here.
    const row = await this.prisma.trainingJob.findUnique({
      where: { id: this.jobId },
      select: { status: true },
    });
    if (row?.status === "CANCELLED") await this.stopTrials("CANCELLED", null);
    return false;
  }

  /**
   * Hands the job back to the queue (this process stops): QUEUED, no worker, so the next worker
   * claims it at once and resumes from the last checkpoint.
   */
  async release(): Promise<boolean> {
    const released = await this.update({ status: "QUEUED", workerId: null, heartbeatAt: null });
    if (released)
      await this.events.append(this.jobId, "progress", await queuedProgress(this.prisma, this.jobId));
    return released;
  }

  private async finish(status: "FAILED" | "CANCELLED", reason: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.trainingJob.updateMany({
        where: this.mine,
        data: { status, error: reason, finishedAt: new Date(), heartbeatAt: null },
      });
      if (count === 0) return false;
      await this.stopTrials(status, status === "FAILED" ? reason : null, tx);
      return true;
    });
  }

  private async stopTrials(
    status: "FAILED" | "CANCELLED",
    reason: string | null,
    tx: Prisma.TransactionClient = this.prisma,
  ): Promise<void> {
    const now = new Date();
    await tx.trainingTrial.updateMany({
      where: { jobId: this.jobId, status: "RUNNING" },
      data: { status, error: reason, finishedAt: now },
    });
    await tx.trainingTrial.updateMany({
      where: { jobId: this.jobId, status: "PENDING" },
      data: { status: "CANCELLED", finishedAt: now },
    });
  }
}

/** The progress event of a job waiting for a worker again, from its row. */
export async function queuedProgress(
  prisma: PrismaClient,
  jobId: string,
): Promise<TrainingEventPayloads["progress"]> {
  const row = await prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
  return {
    status: "QUEUED",
    phase: "QUEUED",
    trial: 0,
    epoch: row.currentEpoch,
    totalEpochs: row.totalEpochs,
    step: 0,
    totalSteps: 0,
    progress: row.progress,
  };
}
