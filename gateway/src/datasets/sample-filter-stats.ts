import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { SamplePosition } from "./sample-cursor";

/** What a filtered page needs besides its rows: how many samples match, and where the first sits. */
export interface FilterStats {
  totalCount: number;
  /**
   * A position just before the first matching sample (same path, the id one less), so a first
   * page walks the path index from there instead of from the version's first sample: a class
   * whose folder sorts last costs what the first class costs. Null when nothing matches.
   */
  startAfter: SamplePosition | null;
}

export interface SampleFilter {
  classId: string | null;
  split: string | null;
}

/** Entries kept per database; each is a few dozen bytes. */
const MAX_ENTRIES = 20_000;

/**
 * A version's members never change after the transaction that writes it (an edit writes a new
 * version), so a filter's count and first position are computed once per process and kept: they
 * cannot go stale. Keyed by client, so gateways (and tests) on different databases never share.
 */
const cache = new WeakMap<PrismaClient, Map<string, FilterStats>>();

/** The stats of `filter` in each of `versionIds`, in order: one statement for those not cached. */
export async function filterStats(
  prisma: PrismaClient,
  versionIds: readonly string[],
  filter: SampleFilter,
): Promise<FilterStats[]> {
  let entries = cache.get(prisma);
  if (!entries) cache.set(prisma, (entries = new Map()));
  const keyOf = (versionId: string) => JSON.stringify([versionId, filter.classId, filter.split]);
  const missing = [...new Set(versionIds.filter((id) => !entries.has(keyOf(id))))];
  if (missing.length > 0) {
    for (const [versionId, stats] of await computeStats(prisma, missing, filter)) {
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(keyOf(versionId), stats);
    }
  }
  return versionIds.map((id) => entries.get(keyOf(id)) ?? { totalCount: 0, startAfter: null });
}

async function computeStats(
  prisma: PrismaClient,
  versionIds: string[],
  { classId, split }: SampleFilter,
): Promise<Map<string, FilterStats>> {
  const conditions = [Prisma.sql`vs."versionId" = k."versionId"`];
  if (classId !== null) conditions.push(Prisma.sql`vs."classId" = ${classId}::uuid`);
  if (split !== null) conditions.push(Prisma.sql`vs.split = ${split}`);
  const rows = await prisma.$queryRaw<
    Array<{ versionId: string; total: number | null; originalPath: string | null; id: string | null }>
  >`
    SELECT k."versionId"::text AS "versionId", f.total, f."originalPath", f.id
    FROM unnest(${versionIds}::uuid[]) AS k("versionId")
    LEFT JOIN LATERAL (
      SELECT (count(*) OVER ())::int AS total, s."originalPath", s.id::text AS id
      FROM "VersionSample" vs JOIN "Sample" s ON s.id = vs."sampleId"
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY s."originalPath", s.id
      LIMIT 1
    ) f ON TRUE`;
  return new Map(
    rows.map((row) => [
      row.versionId,
      {
        totalCount: row.total ?? 0,
        startAfter:
          row.id === null || row.originalPath === null
            ? null
            : { originalPath: row.originalPath, id: previousUuid(row.id) },
      },
    ]),
  );
}

/**
 * The UUID one less than `id` as a 128-bit number: no UUID lies between the two, so "after the
 * previous" is exactly "from `id` on". (A sample's id is never the nil UUID.)
 */
export function previousUuid(id: string): string {
  const value = BigInt(`0x${id.replaceAll("-", "")}`) - 1n;
  const hex = value.toString(16).padStart(32, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
