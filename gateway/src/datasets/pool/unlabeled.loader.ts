import DataLoader from "dataloader";
import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { Sample } from "../datasets.types";

/** One page of one version's unlabeled pool, as `DatasetVersion.unlabeledSamples(...)` asks for it. */
export interface UnlabeledPageKey {
  versionId: string;
  offset: number;
  limit: number;
}

export interface UnlabeledPage {
  samples: Sample[];
  totalCount: number;
}

interface PoolRow {
  versionId: string;
  id: string;
  datasetId: string;
  sha256: string;
  format: string;
  width: number;
  height: number;
  originalPath: string;
  split: string | null;
  metadata: unknown;
  total: bigint;
}

/**
 * Pages of pools, batched like samplePage: the same (offset, limit) of several versions is one
 * statement, each version's pool in a stable order (path, then id).
 */
export function createUnlabeledPageLoader(prisma: PrismaClient) {
  return new DataLoader<UnlabeledPageKey, UnlabeledPage, string>(
    async (keys) => {
      const groups = new Map<string, UnlabeledPageKey[]>();
      for (const key of keys) {
        const window = `${key.offset}:${key.limit}`;
        groups.set(window, [...(groups.get(window) ?? []), key]);
      }
      const pages = new Map<UnlabeledPageKey, UnlabeledPage>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const found = await pagesOf(prisma, group);
          group.forEach((key, index) => pages.set(key, found[index]!));
        }),
      );
      return keys.map((key) => pages.get(key)!);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.versionId, key.offset, key.limit]) },
  );
}

async function pagesOf(prisma: PrismaClient, keys: UnlabeledPageKey[]): Promise<UnlabeledPage[]> {
  const { offset, limit } = keys[0]!;
  const versions = Prisma.join(keys.map((key) => Prisma.sql`${key.versionId}::uuid`));
  const rows = await prisma.$queryRaw<PoolRow[]>`
    SELECT * FROM (
      SELECT u."versionId"::text AS "versionId", s.id::text AS id, s."datasetId"::text AS "datasetId",
             s.sha256, s.format, s.width, s.height, s."originalPath", u.split, u.metadata,
             row_number() OVER (PARTITION BY u."versionId" ORDER BY s."originalPath", s.id) AS position,
             count(*) OVER (PARTITION BY u."versionId") AS total
      FROM "UnlabeledSample" u JOIN "Sample" s ON s.id = u."sampleId"
      WHERE u."versionId" IN (${versions})
    ) ranked
    WHERE position > ${offset} AND position <= ${offset + limit}
    ORDER BY "versionId", position`;
  const byVersion = new Map<string, PoolRow[]>();
  for (const row of rows) byVersion.set(row.versionId, [...(byVersion.get(row.versionId) ?? []), row]);
  // A page past the end (or of no rows) has no row to carry the total: the version row has it.
  const missing = keys.filter((key) => !byVersion.has(key.versionId));
  const counts = missing.length
    ? await prisma.datasetVersion.findMany({
        where: { id: { in: missing.map((key) => key.versionId) } },
        select: { id: true, unlabeledCount: true },
      })
    : [];
  const totals = new Map(counts.map((row) => [row.id, row.unlabeledCount]));
  return keys.map((key) => {
    const found = byVersion.get(key.versionId) ?? [];
    return {
      samples: found.map(toSample),
      totalCount: found[0] ? Number(found[0].total) : (totals.get(key.versionId) ?? 0),
    };
  });
}

function toSample(row: PoolRow): Sample {
  return {
    id: row.id,
    datasetId: row.datasetId,
    versionId: row.versionId,
    sampleClass: null,
    split: row.split,
    width: row.width,
    height: row.height,
    format: row.format,
    sha256: row.sha256,
    originalPath: row.originalPath,
    metadata: row.metadata ?? null,
  };
}
