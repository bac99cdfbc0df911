import type { Prisma, PrismaClient } from "../../../generated/prisma/client";
import { JobStatus } from "../../../jobs/jobs.types";
import type { EmbeddingMap, ProjectionMethod } from "./embedding-maps.types";

/**
 * The map's points: its sample ids and coordinates (megabytes at 50,000 points), read only by
 * `points`, not by every status poll or `computeEmbeddingMap`.
 */
const pointColumns = { sampleIds: true, coordinates: true } as const;

const mapInclude = {
  space: { select: { key: true } },
  job: { select: { status: true, progress: true, errorCode: true, errorMessage: true, finishedAt: true } },
} as const;

export type MapRow = Prisma.EmbeddingMapGetPayload<{ include: typeof mapInclude; omit: typeof pointColumns }>;

/**
 * A map row with its job. Prisma reads the two in separate statements (map first), so a read can
 * straddle the commit that stores the points and marks the job SUCCEEDED: a SUCCEEDED job beside
 * points older than its finish means exactly that, and the row is read again (now committed).
 */
export async function readMapRow(
  prisma: Pick<PrismaClient, "embeddingMap">,
  where: Prisma.EmbeddingMapWhereInput,
): Promise<MapRow | null> {
  const row = await prisma.embeddingMap.findFirst({ where, include: mapInclude, omit: pointColumns });
  const finishedAt = row?.job?.status === "SUCCEEDED" ? row.job.finishedAt : null;
  if (!row || !finishedAt || (row.computedAt && row.computedAt >= finishedAt)) return row;
  const fresh = await prisma.embeddingMap.findUnique({ where: { id: row.id }, omit: pointColumns });
  return fresh ? { ...fresh, space: row.space, job: row.job } : null;
}

/**
 * A stored row as the API shows it. The map's status is its latest job's; a map whose job row is
 * gone (jobs are pruned) counts as SUCCEEDED when it holds points and as FAILED otherwise.
 */
export function toEmbeddingMap(row: MapRow): EmbeddingMap {
  const status =
    (row.job?.status as JobStatus | undefined) ?? (row.computedAt ? JobStatus.SUCCEEDED : JobStatus.FAILED);
  const details = (row.details ?? {}) as {
    explainedVariance?: number[];
    vectors?: { count: number; latest: string | null };
  };
  return {
    id: row.id,
    space: row.space.key,
    method: row.method as ProjectionMethod,
    status,
    progress: status === JobStatus.SUCCEEDED ? 1 : (row.job?.progress ?? 0),
    error:
      row.job?.errorMessage && status !== JobStatus.SUCCEEDED
        ? { code: row.job.errorCode ?? "FAILED", message: row.job.errorMessage }
        : null,
    jobId: row.jobId,
    pointCount: row.pointCount,
    computedAt: row.computedAt,
    explainedVariance: details.explainedVariance ?? null,
    versionId: row.versionId,
    spaceId: row.spaceId,
    fingerprint: details.vectors ?? null,
  };
}
