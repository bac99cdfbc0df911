import type { PrismaClient } from "../../generated/prisma/client";
import { isUuid } from "../../graphql/ids";
import { canSee, type Viewer } from "../../users/access";
import { canSeeJob, resultIsPublicOf, resultVisibilityInclude, type JobVisibility } from "../training-access";

/**
 * Who may open a job's report: whoever may see the job AND its dataset version, because the
 * report shows the dataset's images (its mistakes as thumbnails). A public model trained on a
 * private dataset keeps its report to the owner and admins. A deleted dataset version leaves the
 * report to them too.
 */
export function canSeeReport(
  viewer: Viewer | null,
  job: JobVisibility,
  dataset: { ownerId: string; isPublic: boolean } | null,
): boolean {
  return canSeeJob(viewer, job) && mayOpenReport(viewer, job.ownerId, dataset);
}

/** canSeeReport for a job the viewer is already known to see. */
export function mayOpenReport(
  viewer: Viewer | null,
  jobOwnerId: string,
  dataset: { ownerId: string; isPublic: boolean } | null,
): boolean {
  if (viewer && (viewer.role === "ADMIN" || viewer.id === jobOwnerId)) return true;
  return dataset !== null && canSee(viewer, dataset);
}

/** Whether the viewer may open the job's report (else the route answers 404). */
export async function reportVisibleTo(
  prisma: PrismaClient,
  viewer: Viewer | null,
  jobId: string,
): Promise<boolean> {
  if (!isUuid(jobId)) return false;
  const row = await prisma.trainingJob.findUnique({
    where: { id: jobId },
    include: {
      ...resultVisibilityInclude,
      datasetVersion: { select: { dataset: { select: { ownerId: true, isPublic: true } } } },
    },
  });
  if (!row) return false;
  return canSeeReport(
    viewer,
    { ownerId: row.ownerId, resultIsPublic: resultIsPublicOf(row) },
    row.datasetVersion?.dataset ?? null,
  );
}
