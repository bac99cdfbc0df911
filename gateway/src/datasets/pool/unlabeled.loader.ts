import DataLoader from "dataloader";
import type { PrismaClient } from "../../generated/prisma/client";
import { loadInGroups } from "../../graphql/loader-results";
import { START, type SamplePosition } from "../sample-cursor";
import { pagesFromRows, toSample, type PageRow, type SampleColumns, type SamplePage } from "../sample-rows";

/** One page of one version's unlabeled pool, as `DatasetVersion.unlabeledSamples(...)` asks for it. */
export interface UnlabeledPageKey {
  versionId: string;
  /** The page starts after this sample; null for the first page. */
  after: SamplePosition | null;
  limit: number;
}

/**
 * Pages of pools, batched like samplePage: pages of the same size of several versions are one
 * statement, each version's pool walked from its own cursor in display order (path, then id).
 * The total is the version's unlabeledCount, so no page counts its pool.
 */
export function createUnlabeledPageLoader(prisma: PrismaClient) {
  return new DataLoader<UnlabeledPageKey, SamplePage, string>(
    (keys) =>
      loadInGroups(
        keys,
        (key) => String(key.limit),
        (group) => pagesOf(prisma, group),
      ),
    { cacheKeyFn: (key) => JSON.stringify([key.versionId, key.after, key.limit]) },
  );
}

async function pagesOf(prisma: PrismaClient, keys: UnlabeledPageKey[]): Promise<SamplePage[]> {
  const { limit } = keys[0]!;
  const after = keys.map((key) => key.after ?? START);
  const rows = await prisma.$queryRaw<Array<PageRow<SampleColumns>>>`
    SELECT k.ord::int - 1 AS "keyIndex", NULL::int AS total, p.*
    FROM unnest(${keys.map((key) => key.versionId)}::uuid[], ${after.map((a) => a.originalPath)}::text[],
                ${after.map((a) => a.id)}::uuid[]) WITH ORDINALITY AS k("versionId", "afterPath", "afterId", ord)
    JOIN "DatasetVersion" v ON v.id = k."versionId"
    LEFT JOIN LATERAL (
      SELECT k."versionId"::text AS "versionId", s.id::text AS id, s."datasetId"::text AS "datasetId",
             s.sha256, s.format, s.width, s.height, s."originalPath", u.split, u.metadata
      FROM "Sample" s
      JOIN "UnlabeledSample" u ON u."versionId" = k."versionId" AND u."sampleId" = s.id
      WHERE s."datasetId" = v."datasetId" AND (s."originalPath", s.id) > (k."afterPath", k."afterId")
      ORDER BY s."originalPath", s.id
      LIMIT ${limit + 1}
    ) p ON TRUE
    ORDER BY k.ord, p."originalPath", p.id::uuid`;
  return pagesFromRows(keys.length, limit, rows, (row) => toSample(row, null));
}
