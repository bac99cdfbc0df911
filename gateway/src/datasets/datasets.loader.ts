import DataLoader from "dataloader";
import {
  Prisma,
  type PrismaClient,
  type Dataset as DatasetRow,
  type DatasetVersion as DatasetVersionRow,
} from "../generated/prisma/client";
import { isUuid } from "../graphql/ids";
import { byKey, groupBy, loadInGroups, uuidList } from "../graphql/loader-results";
import { createUnlabeledPageLoader } from "./pool/unlabeled.loader";
import { START, type SamplePosition } from "./sample-cursor";
import { filterStats } from "./sample-filter-stats";
import {
  lateralPagesSql,
  pagesFromRows,
  toLabelledSample,
  type LabelledSampleColumns,
  type PageRow,
  type SamplePage,
} from "./sample-rows";
import type { ClassCount, Dataset, DatasetVersion, SkippedFile } from "./datasets.types";

export function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    ownerId: row.ownerId,
    name: row.name,
    description: row.description,
    tags: row.tags,
    isPublic: row.isPublic,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toDatasetVersion(row: DatasetVersionRow): DatasetVersion {
  return {
    id: row.id,
    datasetId: row.datasetId,
    parentId: row.parentId,
    number: row.number,
    source: row.source,
    message: row.message,
    imageCount: row.imageCount,
    classCount: row.classCount,
    unlabeledCount: row.unlabeledCount,
    skipped: row.skipped as unknown as SkippedFile[],
    createdAt: row.createdAt,
  };
}

/** One page of one version's samples, as `DatasetVersion.samples(...)` asks for it. */
export interface SamplePageKey {
  versionId: string;
  classId: string | null;
  split: string | null;
  /** The page starts after this sample; null for the first page. */
  after: SamplePosition | null;
  limit: number;
}

/** One batched statement per relation per request, whatever the size of the page. */
export function createDatasetLoaders(prisma: PrismaClient) {
  return {
    datasetById: new DataLoader<string, Dataset | null>(async (ids) => {
      const rows = await prisma.dataset.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows.map(toDataset), (d) => d.id);
    }),
    datasetVersionById: new DataLoader<string, DatasetVersion | null>(async (ids) => {
      const rows = await prisma.datasetVersion.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows.map(toDatasetVersion), (v) => v.id);
    }),
    versionsByDatasetId: new DataLoader<string, DatasetVersion[]>(async (datasetIds) => {
      const rows = await prisma.datasetVersion.findMany({
        where: { datasetId: { in: [...datasetIds] } },
        orderBy: { number: "desc" },
      });
      return groupBy(datasetIds, rows.map(toDatasetVersion), (v) => v.datasetId);
    }),
    classCountsByVersionId: new DataLoader<string, ClassCount[]>(async (versionIds) => {
      const rows = await prisma.$queryRaw<Array<ClassCount & { versionId: string; total: bigint }>>`
        SELECT vs."versionId"::text AS "versionId", c.id::text AS id, c.name, count(*) AS total
        FROM "VersionSample" vs JOIN "DatasetClass" c ON c.id = vs."classId"
        WHERE vs."versionId" IN (${uuidList(versionIds)})
        GROUP BY vs."versionId", c.id, c.name
        ORDER BY c.name, c.id`;
      const counts = rows.map(({ versionId, id, name, total }) => ({
        versionId,
        id,
        name,
        count: Number(total),
      }));
      return groupBy(versionIds, counts, (c) => c.versionId).map((group) =>
        group.map(({ id, name, count }) => ({ id, name, count })),
      );
    }),
    samplePage: new DataLoader<SamplePageKey, SamplePage, string>(
      (keys) =>
        loadInGroups(
          keys,
          (key) => JSON.stringify([key.classId, key.split, key.limit]),
          (group) => loadSamplePages(prisma, group),
        ),
      {
        cacheKeyFn: (key) => JSON.stringify([key.versionId, key.classId, key.split, key.after, key.limit]),
      },
    ),
    unlabeledPage: createUnlabeledPageLoader(prisma),
  };
}

export type DatasetLoaders = ReturnType<typeof createDatasetLoaders>;

/**
 * Pages of several versions that ask the same (class, split, size) share one statement, each
 * version from its own cursor (lateralPagesSql: constant cost per page at any depth). A list of N
 * versions with `samples(first: 10)` costs one statement, not N. A filtered first page starts
 * at the filter's first sample, and its total comes from the filter's stats (cached: versions
 * never change); an unfiltered total is the version's imageCount, which the resolver has.
 */
async function loadSamplePages(prisma: PrismaClient, keys: SamplePageKey[]): Promise<SamplePage[]> {
  const { classId, split, limit } = keys[0]!;
  // A class id that is not a UUID names no class: the page is empty, not an error.
  if (classId !== null && !isUuid(classId)) return keys.map(emptyPage);
  const filtered = classId !== null || split !== null;
  const stats = filtered
    ? await filterStats(
        prisma,
        keys.map((key) => key.versionId),
        { classId, split },
      )
    : null;
  // Versions where nothing matches need no walk at all.
  const walks = keys.flatMap((key, index) => {
    const filterStart = stats?.[index];
    if (filterStart && filterStart.totalCount === 0) return [];
    return [{ index, versionId: key.versionId, after: key.after ?? filterStart?.startAfter ?? START }];
  });
  const filters: Prisma.Sql[] = [];
  if (classId !== null) filters.push(Prisma.sql`m."classId" = ${classId}::uuid`);
  if (split !== null) filters.push(Prisma.sql`m.split = ${split}`);
  const rows = walks.length
    ? await prisma.$queryRaw<Array<PageRow<LabelledSampleColumns>>>(
        lateralPagesSql("VersionSample", walks, limit, filters),
      )
    : [];
  const walked = pagesFromRows(walks.length, limit, rows, toLabelledSample);
  const pages = keys.map(emptyPage);
  walks.forEach((walk, index) => (pages[walk.index] = walked[index]!));
  return pages.map((page, index) => ({ ...page, totalCount: stats?.[index]?.totalCount ?? 0 }));
}

const emptyPage = (): SamplePage => ({ samples: [], hasNextPage: false, totalCount: 0 });
