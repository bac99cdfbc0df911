import type { PrismaClient } from "../generated/prisma/client";
import type { JobEventRecord, ProgressEventPayload, StateEventPayload } from "../jobs/job-event-subscriber";
import type { JobState, TrainingEventPayloads, TrainingEventRecord } from "./training-contracts";
import type { TrainingProgressDetail } from "./worker/job-progress";

type Progress = TrainingEventPayloads["progress"];

/**
 * `trainingProgress` is a view over the job platform's log: the platform's "progress" events
 * carry the training details, its "state" events become the QUEUED progress, completed and
 * failed events of the training vocabulary, and "metrics" and "trial" pass as they are. One view
 * per subscriber: a QUEUED state repeats the last progress it saw.
 */
export class TrainingEventView {
  #last: Progress;

  constructor(totalEpochs: number) {
    this.#last = queuedProgress(0, totalEpochs, 0);
  }

  toTraining(record: JobEventRecord): TrainingEventRecord | null {
    const base = { jobId: record.jobId, seq: record.seq, createdAt: record.createdAt };
    switch (record.type) {
      case "training-snapshot": {
        this.#last = record.payload as Progress;
        return { ...base, type: "progress", payload: this.#last };
      }
      case "progress": {
        const payload = record.payload as ProgressEventPayload;
        const detail = (payload.detail ?? {}) as Partial<TrainingProgressDetail>;
        this.#last = {
          status: payload.status,
          phase: (detail.phase ?? payload.phase ?? this.#last.phase) as Progress["phase"],
          trial: detail.trial ?? this.#last.trial,
          epoch: detail.epoch ?? this.#last.epoch,
          totalEpochs: detail.totalEpochs ?? this.#last.totalEpochs,
          step: detail.step ?? 0,
          totalSteps: detail.totalSteps ?? 0,
          progress: payload.fraction,
        };
        return { ...base, type: "progress", payload: this.#last };
      }
      case "metrics":
      case "trial":
        return { ...base, type: record.type, payload: record.payload } as TrainingEventRecord;
      case "state":
        return this.#state(base, record.payload as StateEventPayload);
      default:
        return null;
    }
  }

  #state(
    base: Omit<TrainingEventRecord, "type" | "payload">,
    state: StateEventPayload,
  ): TrainingEventRecord | null {
    switch (state.status) {
      case "QUEUED":
        this.#last = { ...this.#last, status: "QUEUED", phase: "QUEUED", step: 0, totalSteps: 0 };
        return { ...base, type: "progress", payload: this.#last };
      case "SUCCEEDED": {
        const result = (state.result ?? {}) as { resultModelVersionId?: string; evaluation?: unknown };
        return {
          ...base,
          type: "completed",
          payload: {
            resultModelVersionId: result.resultModelVersionId ?? "",
            evaluation: result.evaluation ?? null,
          },
        };
      }
      case "FAILED":
      case "CANCELLED":
        return {
          ...base,
          type: "failed",
          payload: {
            status: state.status,
            reason:
              state.error?.message ??
              (state.status === "CANCELLED" ? "The job was cancelled" : "The job failed"),
          },
        };
      default:
        // RUNNING: the run's first progress event follows at once and says more.
        return null;
    }
  }
}

function queuedProgress(epoch: number, totalEpochs: number, progress: number): Progress {
  return {
    status: "QUEUED",
    phase: "QUEUED",
    trial: 0,
    epoch,
    totalEpochs,
    step: 0,
    totalSteps: 0,
    progress,
  };
}

const finalStates: readonly JobState[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/**
 * What a `trainingProgress` subscriber joining at the log's `seq` is told first, in the
 * platform's vocabulary (the view turns it into the training one): a progress record built from
 * the rows and the last logged progress, and when the job has finished, its final state.
 */
export async function trainingStartingState(
  prisma: PrismaClient,
  jobId: string,
  seq: number,
): Promise<JobEventRecord[]> {
  const [job, lastProgress] = await Promise.all([
    prisma.trainingJob.findUnique({ where: { id: jobId }, include: { job: true } }),
    prisma.jobEvent.findFirst({
      where: { jobId, type: "progress", seq: { lte: seq } },
      orderBy: { seq: "desc" },
      select: { payload: true },
    }),
  ]);
  const now = new Date();
  if (!job) {
    const payload: StateEventPayload = {
      status: "FAILED",
      error: { code: "DELETED", message: "The training job was deleted" },
    };
    return [{ jobId, seq, type: "state", payload, createdAt: now }];
  }
  const status = job.job.status as JobState;
  const logged = lastProgress?.payload as ProgressEventPayload | undefined;
  const detail = (logged?.detail ?? {}) as Partial<TrainingProgressDetail>;
  const sameEpoch = detail.epoch === job.currentEpoch;
  const progress: Progress = {
    status,
    // No progress logged yet: the job never left the queue (e.g. cancelled before it started).
    phase: (status === "QUEUED"
      ? "QUEUED"
      : (detail.phase ?? logged?.phase ?? "QUEUED")) as Progress["phase"],
    trial: detail.trial ?? 0,
    epoch: job.currentEpoch,
    totalEpochs: job.totalEpochs,
    step: sameEpoch && status !== "QUEUED" ? (detail.step ?? 0) : 0,
    totalSteps: status !== "QUEUED" ? (detail.totalSteps ?? 0) : 0,
    progress: job.job.progress,
  };
  const records: JobEventRecord[] = [
    { jobId, seq, type: "training-snapshot", payload: progress, createdAt: now },
  ];
  if (!finalStates.includes(status)) return records;
  const final: StateEventPayload = {
    status: status as StateEventPayload["status"],
    attempt: job.job.attempts,
    error: job.job.errorCode ? { code: job.job.errorCode, message: job.job.errorMessage ?? "" } : null,
    result:
      status === "SUCCEEDED" ? { ...(job.job.result as object | null), evaluation: job.evaluation } : null,
  };
  records.push({ jobId, seq, type: "state", payload: final, createdAt: job.job.finishedAt ?? now });
  return records;
}
