import type { PrismaClient } from "../generated/prisma/client";
import { badInput } from "../errors";
import { isUuid } from "../graphql/ids";
import { assertCanSee, type Viewer } from "../users/access";
import { list } from "./training-options";

/**
 * The class names a job on this dataset version learns, sorted by name: every class with samples.
 * Refuses a version the viewer cannot see (NOT_FOUND), one with fewer than 2 classes, and classes
 * with fewer than 2 samples outside the test split (one for training, one for validation).
 */
export async function trainingLabels(
  prisma: PrismaClient,
  viewer: Viewer,
  versionId: string,
): Promise<string[]> {
  const row = isUuid(versionId)
    ? await prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
    : null;
  const version = assertCanSee(viewer, row, `Dataset version ${versionId}`, (v) => v.dataset);
  const counts = await prisma.$queryRaw<Array<{ name: string; trainable: number }>>`
    SELECT c.name, (count(*) FILTER (WHERE vs.split IS DISTINCT FROM 'test'))::int AS trainable
    FROM "VersionSample" vs JOIN "DatasetClass" c ON c.id = vs."classId"
    WHERE vs."versionId" = ${version.id}::uuid
    GROUP BY c.name`;
  const labels = counts.map((c) => c.name).sort();
  const name = `Dataset version ${version.number} of "${version.dataset.name}"`;
  const field = "datasetVersionId";
  if (labels.length < 2) {
    const has = labels.length === 0 ? "no samples" : `1 class with samples (${list(labels)})`;
    throw badInput(`${name} has ${has}; training a classifier needs at least 2 classes`, { field });
  }
  const tooSmall = counts
    .filter((c) => c.trainable < 2)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((c) => `"${c.name}" has ${c.trainable}`);
  if (tooSmall.length > 0) {
    throw badInput(
      `${name}: every class needs at least 2 samples outside the test split (for training and validation); ${tooSmall.join(", ")}`,
      { field },
    );
  }
  return labels;
}
