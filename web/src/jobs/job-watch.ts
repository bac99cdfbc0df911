import type { JobStatus } from "../gql/graphql";
import { isActiveJob } from "./job-status";

export interface WatchedJob {
  id: string;
  status: JobStatus;
  createdAt: string;
}

/** What the watcher knows after its last look at the viewer's newest jobs. */
export interface JobWatch {
  /** Each job's status when it was last seen. */
  statuses: ReadonlyMap<string, JobStatus>;
  /** Created at or before this (the newest job at the first look): older than this session. */
  newestAtStart: number | null;
}

/** The first look: what is there already finished is not news. */
export function startJobWatch(jobs: readonly WatchedJob[]): JobWatch {
  const created = jobs.map((job) => Date.parse(job.createdAt)).filter(Number.isFinite);
  return {
    statuses: new Map(jobs.map((job) => [job.id, job.status])),
    newestAtStart: created.length > 0 ? Math.max(...created) : null,
  };
}

/**
 * A later look: the jobs that finished since the one before. A job is news once: when it was
 * seen queued or running before and has finished now, or when it is new to this session (queued
 * after the first look) and finished before the watcher saw it run.
 */
export function observeJobs<T extends WatchedJob>(
  watch: JobWatch,
  jobs: readonly T[],
): { watch: JobWatch; finished: T[] } {
  const statuses = new Map(watch.statuses);
  const finished: T[] = [];
  for (const job of jobs) {
    const before = statuses.get(job.id);
    statuses.set(job.id, job.status);
    if (isActiveJob(job.status)) continue;
    const wasRunning = before !== undefined && isActiveJob(before);
    const newThisSession =
      before === undefined &&
      (watch.newestAtStart === null || Date.parse(job.createdAt) > watch.newestAtStart);
    if (wasRunning || newThisSession) finished.push(job);
  }
  return { watch: { ...watch, statuses }, finished };
}
