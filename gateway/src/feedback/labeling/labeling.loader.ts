import DataLoader from "dataloader";
import type { PrismaClient } from "../../generated/prisma/client";
import type { Sample } from "../../datasets/datasets.types";
import { toSample, type SampleColumns } from "../../datasets/sample-rows";
import { byKey, groupBy } from "../../graphql/loader-results";
import type { LabelingItem } from "./labeling.types";

/** An item with the dataset version its sample is shown as (the result once submitted). */
export interface LoadedLabelingItem extends LabelingItem {
  sampleVersionId: string | null;
}

/** A sample as one version holds it: `versionId` may hold it in a class, in its pool, or not at all. */
export interface SampleInVersionKey {
  sampleId: string;
  versionId: string | null;
}

/** Of a sample `versionId` may not hold, or hold in its pool: no version, no class. */
interface SampleRow extends Omit<SampleColumns, "versionId"> {
  versionId: string | null;
  classId: string | null;
  className: string | null;
}

/** One statement per relation per request, whatever the number of batches or items. */
export function createLabelingLoaders(prisma: PrismaClient) {
  return {
    labelingItemsByBatchId: new DataLoader<string, LoadedLabelingItem[]>(async (batchIds) => {
      const rows = await prisma.labelingItem.findMany({
        where: { batchId: { in: [...batchIds] } },
        include: { batch: { select: { resultVersionId: true, datasetVersionId: true } } },
        orderBy: [{ batchId: "asc" }, { position: "asc" }],
      });
      const items = rows.map(({ batch, ...item }): LoadedLabelingItem => ({
        ...item,
        sampleVersionId: batch.resultVersionId ?? batch.datasetVersionId,
      }));
      return groupBy(batchIds, items, (item) => item.batchId);
    }),
    sampleInVersion: new DataLoader<SampleInVersionKey, Sample | null, string>(
      async (keys) => {
        const rows = await prisma.$queryRaw<SampleRow[]>`
          SELECT s.id::text AS id, s."datasetId"::text AS "datasetId", s.sha256, s.format, s.width, s.height,
                 s."originalPath", COALESCE(vs.split, u.split) AS split, COALESCE(vs.metadata, u.metadata) AS metadata,
                 c.id::text AS "classId", c.name AS "className", k.version_id::text AS "versionId"
          FROM unnest(${keys.map((key) => key.sampleId)}::uuid[], ${keys.map((key) => key.versionId)}::uuid[])
            AS k(sample_id, version_id)
          JOIN "Sample" s ON s.id = k.sample_id
          LEFT JOIN "VersionSample" vs ON vs."versionId" = k.version_id AND vs."sampleId" = s.id
          LEFT JOIN "DatasetClass" c ON c.id = vs."classId"
          LEFT JOIN "UnlabeledSample" u ON u."versionId" = k.version_id AND u."sampleId" = s.id`;
        return byKey(keys.map(keyOf), rows, (row) =>
          keyOf({ sampleId: row.id, versionId: row.versionId }),
        ).map((row) => (row ? sampleOf(row) : null));
      },
      { cacheKeyFn: keyOf },
    ),
  };
}

function keyOf(key: SampleInVersionKey): string {
  return `${key.sampleId}/${key.versionId ?? ""}`;
}

function sampleOf(row: SampleRow): Sample {
  return toSample(
    { ...row, versionId: row.versionId ?? "" },
    row.classId ? { id: row.classId, name: row.className! } : null,
  );
}
