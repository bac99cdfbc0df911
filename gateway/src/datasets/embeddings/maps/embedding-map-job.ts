import type pg from "pg";
import type { PrismaClient } from "../../../generated/prisma/client";
import { PermanentJobError, type JobHandler } from "../../../jobs/job-kind";
import type { EmbeddingMapJobPayload } from "./embedding-map-job-kind";
import { encodeCoordinates } from "./map-coordinates";
import { maxMapPoints, readMapVectors, vectorsFingerprint } from "./map-vectors";
import { projectInWorker } from "./project-in-worker";
import type { ProjectionMethodName } from "./project-vectors";

export interface EmbeddingMapJobDeps {
  prisma: PrismaClient;
  /** Vectors are pgvector columns, which Prisma cannot read. */
  pool: pg.Pool;
}

/** Share of the job's progress the reading of vectors takes; the projection and storing the rest. */
const READING_SHARE = 0.3;

/**
 * The "compute-embedding-map" kind's handler: reads the version's vectors in the map's space,
 * projects them on a thread of its own and stores the points in the transaction that marks the
 * job SUCCEEDED, so a client that sees SUCCEEDED always finds the points. A retry starts over:
 * reading and projecting is at most minutes, and a half-made projection is worth nothing.
 */
export function embeddingMapJobHandler(deps: EmbeddingMapJobDeps): JobHandler<EmbeddingMapJobPayload> {
  return async (context) => {
    const map = await deps.prisma.embeddingMap.findUnique({
      where: { id: context.payload.mapId },
      include: { space: true },
    });
    if (!map) throw new PermanentJobError("The dataset version or its embedding space was deleted");
    if (map.jobId !== context.jobId)
      throw new PermanentJobError("The map was queued again under another job", "SUPERSEDED");
    const method = map.method as ProjectionMethodName;
    const bound = maxMapPoints(method);
    const { count: expected } = await vectorsFingerprint(deps.pool, map.spaceId, map.versionId);
    await context.progress({ fraction: 0, phase: "READING_VECTORS", done: 0, total: expected, force: true });
    const read = await readMapVectors(
      deps.pool,
      map.space,
      map.versionId,
      (done) => {
        if (done > bound) {
          throw new PermanentJobError(
            `The version has more than ${bound} vectors in ${map.space.key}: too many for a ${method} map`,
            "BAD_USER_INPUT",
          );
        }
        const fraction = READING_SHARE * Math.min(1, done / Math.max(1, expected));
        return context.progress({
          fraction,
          phase: "READING_VECTORS",
          done,
          total: Math.max(done, expected),
        });
      },
      context.signal,
    );
    const count = read.sampleIds.length;
    await context.progress({
      fraction: READING_SHARE,
      phase: "PROJECTING",
      done: count,
      total: count,
      force: true,
    });
    const projected = await projectInWorker(
      { method, vectors: read.vectors, count, dimension: map.space.dimension },
      context.signal,
    );
    const details = { ...projected.details, vectors: read.fingerprint };
    // The points go in first, on their own: 50,000 ids in the transaction that marks the job
    // SUCCEEDED made it outlast its timeout. Readers see them only once that transaction sets
    // computedAt (points are shown for a SUCCEEDED job only), and a job superseded meanwhile
    // (another jobId) writes nothing.
    await deps.pool.query(
      `UPDATE "EmbeddingMap" SET "sampleIds" = $1::uuid[], coordinates = $2, details = $3::jsonb
       WHERE id = $4 AND "jobId" = $5`,
      [
        read.sampleIds,
        Buffer.from(encodeCoordinates(projected.coordinates)),
        JSON.stringify(details),
        map.id,
        context.jobId,
      ],
    );
    return {
      result: { pointCount: count },
      commit: (tx) =>
        tx.embeddingMap.update({
          where: { id: map.id },
          data: { pointCount: count, computedAt: new Date() },
        }),
    };
  };
}
