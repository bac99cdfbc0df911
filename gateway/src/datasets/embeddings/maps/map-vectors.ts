import type pg from "pg";
import { limits } from "../../../limits";
import { NIL_UUID } from "../../sample-cursor";
import type { ProjectionMethodName } from "./project-vectors";

/** Rows per statement while reading a version's vectors: a page of text is ~3 MB at 256 dimensions. */
const PAGE_ROWS = 1_000;

/**
 * What a map was computed from, to tell later whether the space's vectors changed since: how many
 * of the version's samples have a vector there, and when the newest was stored. Runs only add
 * vectors (a run embeds samples without one), and deleting a sample or a space removes them, so
 * either number moves whenever the map's input does.
 */
export interface VectorsFingerprint {
  count: number;
  /** ISO time of the newest vector; null when there is none. */
  latest: string | null;
}

export interface MapVectors {
  /** Sorted ascending: a map's points are in this order. */
  sampleIds: string[];
  /** Row i is the vector of sampleIds[i]. */
  vectors: Float32Array;
  fingerprint: VectorsFingerprint;
}

/** The most points a map by `method` may hold (limits.embeddingMap says why). */
export const maxMapPoints = (method: ProjectionMethodName): number =>
  method === "UMAP" ? limits.embeddingMap.umapMaxPoints : limits.embeddingMap.maxPoints;

const VERSION_VECTORS = `
  FROM "VersionSample" vs
  JOIN "Embedding" e ON e."spaceId" = $1::uuid AND e."sampleId" = vs."sampleId"
  WHERE vs."versionId" = $2::uuid`;

/** The version's labelled samples' vectors in the space, now (one indexed aggregate). */
export async function vectorsFingerprint(
  pool: pg.Pool,
  spaceId: string,
  versionId: string,
): Promise<VectorsFingerprint> {
  const { rows } = await pool.query<{ count: number; latest: Date | null }>(
    `SELECT count(*)::int AS count, max(e."createdAt") AS latest ${VERSION_VECTORS}`,
    [spaceId, versionId],
  );
  const row = rows[0]!;
  return { count: row.count, latest: row.latest?.toISOString() ?? null };
}

/**
 * Every vector of the version's labelled samples in the space (the unlabeled pool has no class
 * to colour by, so it is not on the map), in keyset pages by sample id; `onPage` hears the count
 * read so far. A vector of another length than `dimension` is refused rather than drawn wrong.
 */
export async function readMapVectors(
  pool: pg.Pool,
  space: { id: string; dimension: number },
  versionId: string,
  onPage: (read: number) => Promise<void>,
  signal: AbortSignal,
): Promise<MapVectors> {
  const sampleIds: string[] = [];
  const pages: Float32Array[] = [];
  let latest: Date | null = null;
  let after = NIL_UUID;
  for (;;) {
    signal.throwIfAborted();
    const { rows } = await pool.query<{ sampleId: string; vector: string; createdAt: Date }>(
      `SELECT vs."sampleId"::text AS "sampleId", e.embedding::text AS vector, e."createdAt" AS "createdAt"
       ${VERSION_VECTORS} AND vs."sampleId" > $3::uuid
       ORDER BY vs."sampleId" LIMIT ${PAGE_ROWS}`,
      [space.id, versionId, after],
    );
    if (rows.length === 0) break;
    const page = new Float32Array(rows.length * space.dimension);
    rows.forEach((row, index) => {
      parseVectorInto(row.vector, page, index * space.dimension, space.dimension, row.sampleId);
      sampleIds.push(row.sampleId);
      if (!latest || row.createdAt > latest) latest = row.createdAt;
    });
    pages.push(page);
    after = rows.at(-1)!.sampleId;
    await onPage(sampleIds.length);
    if (rows.length < PAGE_ROWS) break;
  }
  const vectors = new Float32Array(sampleIds.length * space.dimension);
  let offset = 0;
  for (const page of pages) {
    vectors.set(page, offset);
    offset += page.length;
  }
  const newest = latest as Date | null;
  return {
    sampleIds,
    vectors,
    fingerprint: { count: sampleIds.length, latest: newest?.toISOString() ?? null },
  };
}

/** pgvector's text form, `[0.1,-2,3e-7]`, straight into `target` (no array of strings per vector). */
export function parseVectorInto(
  text: string,
  target: Float32Array,
  offset: number,
  dimension: number,
  sampleId: string,
): void {
  let index = 0;
  let start = 1;
  for (let position = 1; position < text.length; position += 1) {
    const char = text.charCodeAt(position);
    // ',' or the closing ']'
    if (char !== 44 && char !== 93) continue;
    if (index === dimension) break;
    target[offset + index] = Number(text.slice(start, position));
    index += 1;
    start = position + 1;
  }
  if (index !== dimension || text.length < 2 || text.slice(start - 1) !== "]") {
    throw new RangeError(`The vector of sample ${sampleId} does not have the space's ${dimension} values`);
  }
}
