import DataLoader from "dataloader";
import type { PrismaClient } from "../../generated/prisma/client";
import { loadInGroups } from "../../graphql/loader-results";
import { START, type SamplePosition } from "../sample-cursor";
import {
  lateralPagesSql,
  pagesFromRows,
  toSample,
  type PageRow,
  type SampleColumns,
  type SamplePage,
} from "../sample-rows";

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
  const walks = keys.map((key) => ({ versionId: key.versionId, after: key.after ?? START }));
  const rows = await prisma.$queryRaw<Array<PageRow<SampleColumns>>>(
    lateralPagesSql("UnlabeledSample", walks, limit),
  );
  return pagesFromRows(keys.length, limit, rows, (row) => toSample(row, null));
}
