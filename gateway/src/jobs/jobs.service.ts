import { randomUUID } from "node:crypto";
import { Prisma, type Job as JobRow, type PrismaClient } from "../generated/prisma/client";
import { conflict, notFound } from "../errors";
import { isUuid } from "../graphql/ids";
import { assertCanSee, canSee, requireViewer, type Viewer } from "../users/access";
import type { JobEventLog, StartingState } from "./job-event-log";
import type { JobEventRecord, StateEventPayload } from "./job-event-subscriber";
import { finalStatuses, type JobKind, type JobStatusName } from "./job-kind";
import type { JobQueue, TransactionExecutor } from "./job-queue";
import type { FinishHook } from "./job-record";

export interface NewJob<Payload> {
  ownerId: string;
  payload: Payload;
  parentId?: string | null;
  /** The job's id, when the kind's own row must share it (a TrainingJob has its Job's id). */
  id?: string;
  /**
   * A request of the owner starts it (not the platform on their behalf): refused with
   * QUOTA_EXCEEDED when they already have their limit of jobs queued or running.
   */
  startedByUser?: boolean;
}

/** The per-user concurrent-jobs limit (quotas/quotas.service.ts), admitted in the enqueueing transaction. */
export interface ConcurrentJobsQuota {
  admitJob(tx: Prisma.TransactionClient, ownerId: string): Promise<void>;
}

/** How a refused cancel is worded: by the view the client used (`Training job …` or `Job …`). */
export interface CancelWording {
  what: string;
}

/** A job's status can move while a cancel is decided; this many reads settle it. */
const CANCEL_ATTEMPTS = 3;

/**
 * Queues jobs (in the caller's transaction, so a job exists exactly when the rows that need it
 * do), cancels them, finds them and follows their events. The runner (JobRunner) runs them.
 */
export class JobsService {
  /** Called when a job is cancelled here, so a run in this process stops at once. */
  onCancelRequested: ((jobId: string) => void) | null = null;
  /** Each kind's rows to settle when one of its jobs ends unsuccessfully (see WorkOptions.onFinished). */
  readonly finishHooks = new Map<string, FinishHook>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly queue: JobQueue,
    readonly events: JobEventLog,
    private readonly quota: ConcurrentJobsQuota | null = null,
  ) {}

  /** Creates the queues of `kinds` (once, at start, before any enqueue in a transaction). */
  async prepare(kinds: ReadonlyArray<{ name: string }>): Promise<void> {
    await this.queue.ensureQueues(kinds.map((kind) => kind.name));
  }

  /**
   * Inserts the Job row, its first event and its queue job in `tx`: all commit together or none
   * does. Call `queued(kind)` after the commit to wake this process's idle workers at once.
   */
  async enqueue<Payload>(
    tx: Prisma.TransactionClient,
    kind: JobKind<Payload, object>,
    job: NewJob<Payload>,
  ): Promise<JobRow> {
    if (!this.queue.hasQueue(kind.name)) {
      throw new Error(`The job kind "${kind.name}" is not registered: pass it to JobsService.prepare first`);
    }
    if (job.startedByUser && !job.parentId && this.quota) await this.quota.admitJob(tx, job.ownerId);
    const id = job.id ?? randomUUID();
    const queueJobId = randomUUID();
    const row = await tx.job.create({
      data: {
        id,
        kind: kind.name,
        payloadVersion: kind.payloadVersion,
        payload: job.payload as Prisma.InputJsonValue,
        ownerId: job.ownerId,
        parentId: job.parentId ?? null,
        maxAttempts: kind.maxAttempts,
        queueJobId,
      },
    });
    await this.events.append(id, "state", { status: "QUEUED", attempt: 0, error: null }, tx);
    await this.queue.send(kind.name, { jobId: id }, { id: queueJobId, singletonKey: id, db: executorOf(tx) });
    return row;
  }

  /** After the transaction that enqueued a job of `kind` committed. */
  queued(kind: JobKind<never, object> | { name: string }): void {
    this.queue.notify(kind.name);
  }

  /**
   * QUEUED: cancelled at once (its queue job too). RUNNING: asks its worker to stop, which it
   * does within a second and then logs the cancellation. Finished: CONFLICT. Only the owner or
   * an admin; others who cannot see the job get NOT_FOUND.
   */
  async cancel(viewer: Viewer | null, id: string, wording: CancelWording = { what: "Job" }): Promise<JobRow> {
    const user = requireViewer(viewer);
    for (let attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
      // Jobs are seen by their owner and admins only, so a job the viewer sees is one they may cancel.
      const row = isUuid(id) ? await this.prisma.job.findUnique({ where: { id } }) : null;
      const job = assertCanSee(user, row, `${wording.what} ${id}`, asOwned);
      if (job.status === "QUEUED") {
        const message = `Cancelled by ${user.handle} before it started`;
        const cancelled = await this.prisma.$transaction(async (tx) => {
          const { count } = await tx.job.updateMany({
            where: { id, status: "QUEUED" },
            // cancelRequested stays false: it tells a running job to stop, and this one never ran.
            data: {
              status: "CANCELLED",
              errorCode: "CANCELLED",
              errorMessage: message,
              finishedAt: new Date(),
            },
          });
          if (count === 0) return false;
          // A job waiting for its retry or resume may have rows of a run before (training trials).
          await this.finishHooks.get(job.kind)?.(tx, id, "CANCELLED");
          await this.events.append(
            id,
            "state",
            { status: "CANCELLED", attempt: job.attempts, error: { code: "CANCELLED", message } },
            tx,
          );
          return true;
        });
        if (!cancelled) continue;
        if (job.queueJobId) await this.queue.cancel(job.kind, job.queueJobId).catch(() => false);
        return this.prisma.job.findUniqueOrThrow({ where: { id } });
      }
      if (job.status === "RUNNING") {
        const { count } = await this.prisma.job.updateMany({
          where: { id, status: "RUNNING" },
          data: { cancelRequested: true },
        });
        if (count === 0) continue;
        this.onCancelRequested?.(id);
        return this.prisma.job.findUniqueOrThrow({ where: { id } });
      }
      throw conflict(
        `${wording.what} ${id} already ${job.status.toLowerCase()}; only QUEUED or RUNNING jobs can be cancelled`,
        { field: "id" },
      );
    }
    throw conflict(`${wording.what} ${id} changed state while being cancelled; try again`, { field: "id" });
  }

  /** The job, or null when it does not exist or the viewer may not see it. */
  async find(viewer: Viewer | null, id: string): Promise<JobRow | null> {
    if (!isUuid(id)) return null;
    const job = await this.prisma.job.findUnique({ where: { id } });
    return job && canSeeJob(viewer, job) ? job : null;
  }

  /** The job's current state (a "snapshot" record), then every later event of its log. */
  async follow(
    viewer: Viewer | null,
    id: string,
    signal?: AbortSignal,
  ): Promise<{ kind: string; records: AsyncIterableIterator<JobEventRecord> }> {
    const job = await this.find(viewer, id);
    if (!job) throw notFound(`Job ${id}`);
    const records = this.events.subscribe(job.id, (seq) => snapshotOf(this.prisma, job.id, seq), signal);
    return { kind: job.kind, records };
  }
}

/** Jobs are private to their owner (and admins), whatever they work on. */
const asOwned = (job: Pick<JobRow, "ownerId">) => ({ ownerId: job.ownerId, isPublic: false });

export function canSeeJob(viewer: Viewer | null, job: Pick<JobRow, "ownerId">): boolean {
  return canSee(viewer, asOwned(job));
}

/**
 * What a subscriber joining at `seq` is told first: the job row as a "snapshot" record, and when
 * the job has finished, its final state record too (which ends the stream).
 */
export const snapshotOf = async (
  prisma: PrismaClient,
  jobId: string,
  seq: number,
): Promise<JobEventRecord[]> => {
  const job = await prisma.job.findUnique({ where: { id: jobId } });
  const now = new Date();
  if (!job) {
    const payload: StateEventPayload = {
      status: "FAILED",
      error: { code: "DELETED", message: "The job was deleted" },
    };
    return [{ jobId, seq, type: "state", payload, createdAt: now }];
  }
  const snapshot: JobEventRecord = { jobId, seq, type: "snapshot", payload: job, createdAt: now };
  if (!finalStatuses.includes(job.status as JobStatusName)) return [snapshot];
  const final: StateEventPayload = {
    status: job.status as JobStatusName,
    attempt: job.attempts,
    error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? "" } : null,
    result: job.result,
  };
  return [snapshot, { jobId, seq, type: "state", payload: final, createdAt: job.finishedAt ?? now }];
};

export type { StartingState };

/** pg-boss's statements run in the Prisma transaction. */
function executorOf(tx: Prisma.TransactionClient): TransactionExecutor {
  return {
    executeSql: async (text, values) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) }),
  };
}
