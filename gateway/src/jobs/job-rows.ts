import type { Job as JobRow } from "../generated/prisma/client";
import { jobKindByName } from "./job-kinds";
import type { Job, JobStatus } from "./jobs.types";

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: jobKindByName.get(row.kind)?.kind.graphqlName ?? row.kind,
    ownerId: row.ownerId,
    status: row.status as JobStatus,
    progress: { fraction: row.progress, phase: row.phase, done: row.done, total: row.total },
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    cancelRequested: row.cancelRequested,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? "" } : null,
    result: row.result,
    payload: row.payload,
    parentId: row.parentId,
    heartbeatAt: row.heartbeatAt,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}
