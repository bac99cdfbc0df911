import DataLoader from "dataloader";
import type { PrismaClient } from "../../generated/prisma/client";
import { groupBy, loadInGroups, uuidList } from "../../graphql/loader-results";
import type { Sample } from "../datasets.types";
import { toSample, type SampleColumns } from "../sample-rows";

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

interface PoolRow extends SampleColumns {
  total: bigint;
}

/**
 * Pages of pools, batched like samplePage: the same (offset, limit) of several versions is one
 * statement, each version's pool in a stable order (path, then id).
 */
export function createUnlabeledPageLoader(prisma: PrismaClient) {
  return new DataLoader<UnlabeledPageKey, UnlabeledPage, string>(
    (keys) =>
      loadInGroups(
        keys,
        (key) => `${key.offset}:${key.limit}`,
        (group) => pagesOf(prisma, group),
      ),
    { cacheKeyFn: (key) => JSON.stringify([key.versionId, key.offset, key.limit]) },
  );
}

async function pagesOf(prisma: PrismaClient, keys: UnlabeledPageKey[]): Promise<UnlabeledPage[]> {
  const { offset, limit } = keys[0]!;
  const versions = uuidList(keys.map((key) => key.versionId));
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
  const pages = groupBy(
    keys.map((key) => key.versionId),
    rows,
    (row) => row.versionId,
  );
  // A page past the end (or of no rows) has no row to carry the total: the version row has it.
  const missing = keys.filter((_, index) => pages[index]!.length === 0);
  const counts = missing.length
    ? await prisma.datasetVersion.findMany({
        where: { id: { in: missing.map((key) => key.versionId) } },
        select: { id: true, unlabeledCount: true },
      })
    : [];
  const totals = new Map(counts.map((row) => [row.id, row.unlabeledCount]));
  return keys.map((key, index) => {
    const found = pages[index]!;
    return {
      samples: found.map((row) => toSample(row, null)),
      totalCount: found[0] ? Number(found[0].total) : (totals.get(key.versionId) ?? 0),
    };
  });
}
