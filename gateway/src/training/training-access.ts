import { Prisma } from "../generated/prisma/client";
import { forbidden } from "../errors";
import { assertCanSee, canSee, isAdmin, type Viewer } from "../users/access";

/**
 * Who sees a training job: its owner and admins, and everyone once its result is a version of a
 * public model (a public model's lineage, metrics and evaluation are public with it). Anyone else
 * is told NOT_FOUND, so a private job's existence does not leak.
 */
export interface JobVisibility {
  ownerId: string;
  /** Whether the job's result is a version of a public model. */
  resultIsPublic: boolean;
}

const ownershipOf = (job: JobVisibility) => ({ ownerId: job.ownerId, isPublic: job.resultIsPublic });

export function canSeeJob(viewer: Viewer | null, job: JobVisibility): boolean {
  return canSee(viewer, ownershipOf(job));
}

export function assertCanSeeJob<T extends JobVisibility>(
  viewer: Viewer | null,
  job: T | null,
  id: string,
): T {
  return assertCanSee(viewer, job, `Training job ${id}`, ownershipOf);
}

/** Only the owner or an admin changes a job (cancels it); others who may see it get FORBIDDEN. */
export function assertCanChangeJob<T extends JobVisibility>(viewer: Viewer, job: T | null, id: string): T {
  const visible = assertCanSeeJob(viewer, job, id);
  if (!isAdmin(viewer) && viewer.id !== visible.ownerId) {
    throw forbidden(`Training job ${id} belongs to another user; only its owner or an admin can cancel it`);
  }
  return visible;
}

/** A Prisma include that yields `resultIsPublic` through resultIsPublicOf. */
export const resultVisibilityInclude = {
  resultModelVersion: { select: { model: { select: { isPublic: true } } } },
} as const;

export const resultIsPublicOf = (row: { resultModelVersion: { model: { isPublic: boolean } } | null }) =>
  row.resultModelVersion?.model.isPublic ?? false;

/** The same rule in SQL, for lists; `j` is the TrainingJob alias. */
export function jobsVisibleTo(viewer: Viewer | null): Prisma.Sql {
  if (viewer?.role === "ADMIN") return Prisma.sql`TRUE`;
  const publicResult = Prisma.sql`EXISTS (
    SELECT 1 FROM "ModelVersion" v JOIN "Model" m ON m.id = v."modelId"
    WHERE v."trainingJobId" = j.id AND m."isPublic")`;
  if (!viewer) return publicResult;
  return Prisma.sql`(j."ownerId" = ${viewer.id}::uuid OR ${publicResult})`;
}
