import type pg from "pg";
import type { PrismaClient } from "../../../generated/prisma/client";
import { badInput, notFound } from "../../../errors";
import { isUuid } from "../../../graphql/ids";
import type { JobsService } from "../../../jobs/jobs.service";
import { limits } from "../../../limits";
import { assertCanChange, requireViewer, type Viewer } from "../../../users/access";
import { embeddingMapJobKind } from "./embedding-map-job-kind";
import { readMapRow, toEmbeddingMap, type MapRow } from "./embedding-map-rows";
import type { EmbeddingMap, EmbeddingMapPoints, ProjectionMethod } from "./embedding-maps.types";
import type { Sample } from "../../datasets.types";
import { LABELLED_SAMPLE_COLUMNS, toLabelledSample, type LabelledSampleColumns } from "../../sample-rows";
import { decodeCoordinates } from "./map-coordinates";
import { maxMapPoints, vectorsFingerprint } from "./map-vectors";

/** Jobs in these states are the map's current answer: asking again queues nothing. */
const LIVE = new Set(["QUEUED", "RUNNING"]);

/**
 * Embedding maps: one stored projection per (version, space, method), computed by a job the first
 * time someone asks and again only when the last job failed or the space's vectors changed.
 * Reading a map never projects anything.
 */
export class EmbeddingMapsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: pg.Pool,
    private readonly jobs: JobsService,
  ) {}

  /** The stored or running map of a version the caller already may see; null when never asked for. */
  async mapOf(versionId: string, spaceKey: string, method: ProjectionMethod): Promise<EmbeddingMap | null> {
    const row = await readMapRow(this.prisma, { versionId, method, space: { key: spaceKey } });
    return row ? toEmbeddingMap(row) : null;
  }

  /**
   * `computeEmbeddingMap`: the owner (or an admin) asks for a map. Returns the stored map when it
   * is current, the running one when a job is under way, else queues a job (in the transaction
   * that creates or resets the row, under a lock per map, so two requests at once queue one job).
   */
  async compute(
    viewer: Viewer | null,
    versionId: string,
    spaceKey: string,
    method: ProjectionMethod,
  ): Promise<EmbeddingMap> {
    const user = requireViewer(viewer);
    const version = isUuid(versionId)
      ? await this.prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
      : null;
    assertCanChange(user, version?.dataset ?? null, `Dataset version ${versionId}`);
    const space = await this.prisma.embeddingSpace.findUnique({ where: { key: spaceKey } });
    if (!space) throw notFound(`Embedding space "${spaceKey}"`);
    const current = await vectorsFingerprint(this.pool, space.id, versionId);
    if (current.count === 0) {
      throw badInput(`Dataset version ${versionId} has no vectors in ${spaceKey} yet: embed it first`, {
        field: "space",
      });
    }
    const bound = maxMapPoints(method);
    if (current.count > bound) {
      throw badInput(
        `A ${method} map holds at most ${bound} points; this version has ${current.count} vectors in ${spaceKey}`,
        { field: "method", limit: bound },
      );
    }
    const queued = await this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`embedding-map:${versionId}:${space.id}:${method}`}, 0))::text`;
      const existing = await readMapRow(tx, { versionId, spaceId: space.id, method });
      if (existing && isCurrent(existing, current)) return false;
      const map = await tx.embeddingMap.upsert({
        where: { versionId_spaceId_method: { versionId, spaceId: space.id, method } },
        create: { versionId, spaceId: space.id, method },
        update: {},
      });
      const job = await this.jobs.enqueue(tx, embeddingMapJobKind, {
        ownerId: user.id,
        payload: { mapId: map.id, datasetVersionId: versionId },
        startedByUser: true,
      });
      await tx.embeddingMap.update({ where: { id: map.id }, data: { jobId: job.id } });
      return true;
    });
    // Read before the workers are woken: the answer is the map as queued.
    const row = await readMapRow(this.prisma, { versionId, spaceId: space.id, method });
    if (queued) this.jobs.queued(embeddingMapJobKind);
    return toEmbeddingMap(row!);
  }

  /** Whether the space's vectors of the version changed since the stored points were computed. */
  async isStale(map: EmbeddingMap): Promise<boolean> {
    if (!map.fingerprint) return false;
    const current = await vectorsFingerprint(this.pool, map.spaceId, map.versionId);
    return !sameFingerprint(map.fingerprint, current);
  }

  /** The stored points with each sample's class in the version; null until the map's job succeeded. */
  async points(map: EmbeddingMap): Promise<EmbeddingMapPoints | null> {
    if (map.status !== "SUCCEEDED") return null;
    const row = await this.prisma.embeddingMap.findUnique({
      where: { id: map.id },
      select: { sampleIds: true, coordinates: true },
    });
    if (!row?.coordinates) return null;
    // One statement: the classes in the points' order (a sample left out of the version by a
    // later edit cannot happen: versions are immutable, so every id finds its row).
    const classes = await this.prisma.$queryRaw<Array<{ classId: string }>>`
      SELECT vs."classId"::text AS "classId"
      FROM unnest(${row.sampleIds}::uuid[]) WITH ORDINALITY AS p("sampleId", position)
      JOIN "VersionSample" vs ON vs."versionId" = ${map.versionId}::uuid AND vs."sampleId" = p."sampleId"
      ORDER BY p.position`;
    if (classes.length !== row.sampleIds.length) return null;
    return {
      sampleIds: row.sampleIds,
      classIds: classes.map((entry) => entry.classId),
      coordinates: Array.from(decodeCoordinates(row.coordinates)),
    };
  }
}

/** The version's samples among `ids`, in that order (an id not in the version is left out). */
export async function samplesOf(
  prisma: PrismaClient,
  versionId: string,
  ids: readonly string[],
): Promise<Sample[]> {
  if (ids.length > limits.pageSize) {
    throw badInput(`samples takes at most ${limits.pageSize} ids; got ${ids.length}`, { field: "ids" });
  }
  const wanted = ids.filter(isUuid);
  if (wanted.length === 0) return [];
  const rows = await prisma.$queryRaw<LabelledSampleColumns[]>`
    SELECT ${LABELLED_SAMPLE_COLUMNS}
    FROM unnest(${wanted}::uuid[]) WITH ORDINALITY AS w(id, position)
    JOIN "VersionSample" m ON m."versionId" = ${versionId}::uuid AND m."sampleId" = w.id
    JOIN "Sample" s ON s.id = w.id
    JOIN "DatasetClass" c ON c.id = m."classId"
    ORDER BY w.position`;
  return rows.map(toLabelledSample);
}

/** A map that needs no new job: one running or waiting, or stored points from the current vectors. */
function isCurrent(row: MapRow, current: { count: number; latest: string | null }): boolean {
  if (row.job && LIVE.has(row.job.status)) return true;
  const map = toEmbeddingMap(row);
  return map.status === "SUCCEEDED" && map.fingerprint !== null && sameFingerprint(map.fingerprint, current);
}

function sameFingerprint(
  a: { count: number; latest: string | null },
  b: { count: number; latest: string | null },
) {
  return a.count === b.count && a.latest === b.latest;
}
