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
import { toLabelledSample, type LabelledSampleColumns } from "./sample-rows";
import type { ClassCount, Dataset, DatasetVersion, Sample, SkippedFile } from "./datasets.types";

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
  offset: number;
  limit: number;
}

export interface SamplePage {
  samples: Sample[];
  totalCount: number;
}

interface SampleRow extends LabelledSampleColumns {
  total: bigint;
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
    samplePage: new DataLoader<SamplePageKey, SamplePage, string>((keys) => loadSamplePages(prisma, keys), {
      cacheKeyFn: (key) => JSON.stringify([key.versionId, key.classId, key.split, key.offset, key.limit]),
    }),
    unlabeledPage: createUnlabeledPageLoader(prisma),
  };
}

export type DatasetLoaders = ReturnType<typeof createDatasetLoaders>;

/**
 * Pages that ask the same (class, split, offset, limit) of different versions share one statement:
 * row_number() over each version's samples, in a stable order (path, then id), picks every page at
 * once. So a list of N versions with `samples(first: 10)` costs one statement, not N.
 */
function loadSamplePages(prisma: PrismaClient, keys: readonly SamplePageKey[]): Promise<SamplePage[]> {
  return loadInGroups(
    keys,
    (key) => JSON.stringify([key.classId, key.split, key.offset, key.limit]),
    (group) => pagesOf(prisma, group),
  );
}

async function pagesOf(prisma: PrismaClient, keys: SamplePageKey[]): Promise<SamplePage[]> {
  const { classId, split, offset, limit } = keys[0]!;
  // A class id that is not a UUID names no class: the page is empty, not an error.
  if (classId !== null && !isUuid(classId)) return keys.map(() => ({ samples: [], totalCount: 0 }));
  const conditions = [Prisma.sql`vs."versionId" IN (${uuidList(keys.map((k) => k.versionId))})`];
  if (classId !== null) conditions.push(Prisma.sql`vs."classId" = ${classId}::uuid`);
  if (split !== null) conditions.push(Prisma.sql`vs.split = ${split}`);
  const where = Prisma.join(conditions, " AND ");
  const rows = await prisma.$queryRaw<SampleRow[]>`
    SELECT * FROM (
      SELECT vs."versionId"::text AS "versionId", s.id::text AS id, s."datasetId"::text AS "datasetId",
             s.sha256, s.format, s.width, s.height, s."originalPath", vs.split, vs.metadata,
             c.id::text AS "classId", c.name AS "className",
             row_number() OVER (PARTITION BY vs."versionId" ORDER BY s."originalPath", s.id) AS position,
             count(*) OVER (PARTITION BY vs."versionId") AS total
      FROM "VersionSample" vs
      JOIN "Sample" s ON s.id = vs."sampleId"
      JOIN "DatasetClass" c ON c.id = vs."classId"
      WHERE ${where}
    ) ranked
    WHERE position > ${offset} AND position <= ${offset + limit}
    ORDER BY "versionId", position`;
  const byVersion = new Map<string, SampleRow[]>();
  for (const row of rows) byVersion.set(row.versionId, [...(byVersion.get(row.versionId) ?? []), row]);
  // A version with no row in its window still has a total, unless the window started at its end.
  const missing = keys.filter((k) => !byVersion.has(k.versionId) && (offset > 0 || limit === 0));
  const totals = missing.length ? await countSamples(prisma, missing, classId, split) : new Map();
  return keys.map((key) => {
    const found = byVersion.get(key.versionId) ?? [];
    return {
      samples: found.map(toLabelledSample),
      totalCount: found[0] ? Number(found[0].total) : (totals.get(key.versionId) ?? 0),
    };
  });
}

async function countSamples(
  prisma: PrismaClient,
  keys: SamplePageKey[],
  classId: string | null,
  split: string | null,
): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<Array<{ versionId: string; total: bigint }>>`
    SELECT vs."versionId"::text AS "versionId", count(*) AS total
    FROM "VersionSample" vs
    WHERE vs."versionId" IN (${uuidList(keys.map((k) => k.versionId))})
      AND (${classId}::uuid IS NULL OR vs."classId" = ${classId}::uuid)
      AND (${split}::text IS NULL OR vs.split = ${split}::text)
    GROUP BY vs."versionId"`;
  return new Map(rows.map((r) => [r.versionId, Number(r.total)]));
}
