import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { PrismaClient } from "../generated/prisma/client";
import type { BlobReferences } from "../blobs/blob-references";
import type { BlobStore } from "../storage/blob-store";
import { badInput, notFound } from "../errors";
import { isUuid } from "../graphql/ids";
import { assertCanChange, assertCanSee, canSee, requireViewer, type Viewer } from "../users/access";
import { createThumbnail } from "./images/thumbnail";
import { toDataset, toDatasetVersion } from "./datasets.loader";
import { compareVersions } from "./diff/version-diff";
import { DatasetExportService } from "./export/dataset-export.service";
import type { Dataset, DatasetVersion, VersionDiff } from "./datasets.types";

/** What the file routes need of a sample: where its bytes are and what they are. */
export interface SampleFile {
  id: string;
  sha256: string;
  format: string;
  sizeBytes: number;
  width: number;
  height: number;
  thumbnailSha256: string | null;
}

export interface StoredThumbnail {
  sha256: string;
  sizeBytes: number;
}

/** Long enough for sharp to shrink the largest image ingestion accepts. */
const THUMBNAIL_TRANSACTION_MS = 60_000;

/** Reading datasets with the same visibility as models, deleting them, and sample thumbnails. */
export class DatasetsService {
  /** Thumbnails being made in this process, so concurrent first requests share one. */
  private readonly thumbnailsInFlight = new Map<string, Promise<StoredThumbnail>>();

  /** ZIP exports of versions (exportDatasetVersion and its download route). */
  readonly exports: DatasetExportService;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
  ) {
    this.exports = new DatasetExportService(prisma, store);
  }

  async findDataset(viewer: Viewer | null, id: string): Promise<Dataset | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.dataset.findUnique({ where: { id } });
    return row && canSee(viewer, row) ? toDataset(row) : null;
  }

  async findVersion(viewer: Viewer | null, id: string): Promise<DatasetVersion | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.datasetVersion.findUnique({ where: { id }, include: { dataset: true } });
    return row && canSee(viewer, row.dataset) ? toDatasetVersion(row) : null;
  }

  /** `version` compared with `againstId` by content (see compareVersions); both must be visible. */
  async diff(viewer: Viewer | null, version: DatasetVersion, againstId: string): Promise<VersionDiff> {
    const against = await this.findVersion(viewer, againstId);
    if (!against) throw notFound(`Dataset version ${againstId}`);
    if (against.datasetId !== version.datasetId) {
      throw badInput(
        `Versions compare only within one dataset: version ${againstId} belongs to another dataset`,
        { field: "against" },
      );
    }
    return compareVersions(this.prisma, version.id, against.id);
  }

  /** Removes the dataset with its versions, classes and samples, then the files nothing else uses. */
  async deleteDataset(viewer: Viewer | null, id: string): Promise<boolean> {
    const row = isUuid(id) ? await this.prisma.dataset.findUnique({ where: { id } }) : null;
    const dataset = assertCanChange(requireViewer(viewer), row, `Dataset ${id}`);
    const samples = await this.prisma.sample.findMany({
      where: { datasetId: dataset.id },
      select: { sha256: true, thumbnailSha256: true },
    });
    // The prediction log would keep (and serve) the samples' images: a labelling batch's scores of
    // them go, and what a model served of them keeps its scores without the image.
    await this.prisma.$transaction([
      this.prisma.$executeRaw`
        DELETE FROM "Prediction" p USING "Sample" s
        WHERE p."sampleId" = s.id AND s."datasetId" = ${dataset.id}::uuid AND p.source = 'LABELING'`,
      this.prisma.$executeRaw`
        UPDATE "Prediction" p SET "imageSha256" = NULL FROM "Sample" s
        WHERE p."sampleId" = s.id AND s."datasetId" = ${dataset.id}::uuid AND p."imageSha256" IS NOT NULL`,
      this.prisma.dataset.delete({ where: { id: dataset.id } }),
    ]);
    const blobs = samples.flatMap((s) => (s.thumbnailSha256 ? [s.sha256, s.thumbnailSha256] : [s.sha256]));
    await this.references.release(blobs);
    return true;
  }

  /** A sample the viewer may see, or NOT_FOUND (whether it exists elsewhere is not told). */
  async visibleSample(viewer: Viewer | null, id: string): Promise<SampleFile> {
    const row = isUuid(id)
      ? await this.prisma.sample.findUnique({ where: { id }, include: { dataset: true } })
      : null;
    const sample = assertCanSee(viewer, row, `Sample ${id}`, (r) => r.dataset);
    return {
      id: sample.id,
      sha256: sample.sha256,
      format: sample.format,
      sizeBytes: Number(sample.sizeBytes),
      width: sample.width,
      height: sample.height,
      thumbnailSha256: sample.thumbnailSha256,
    };
  }

  /** The sample's WebP thumbnail: made and stored on first request, then the stored one. */
  async thumbnailOf(sample: SampleFile): Promise<StoredThumbnail> {
    if (sample.thumbnailSha256) {
      const stat = await this.store.stat(sample.thumbnailSha256);
      if (stat) return { sha256: sample.thumbnailSha256, sizeBytes: stat.sizeBytes };
    }
    const pending = this.thumbnailsInFlight.get(sample.id);
    if (pending) return pending;
    const making = this.makeThumbnail(sample).finally(() => this.thumbnailsInFlight.delete(sample.id));
    this.thumbnailsInFlight.set(sample.id, making);
    return making;
  }

  /**
   * Under a per-sample advisory lock, so gateway replicas answering the same first request store
   * one thumbnail: the second finds the first's and returns it.
   */
  private makeThumbnail(sample: SampleFile): Promise<StoredThumbnail> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`thumbnail:${sample.id}`}, 0))::text`;
        const current = await tx.sample.findUniqueOrThrow({
          where: { id: sample.id },
          select: { thumbnailSha256: true, thumbnail: { select: { sizeBytes: true } } },
        });
        if (current.thumbnailSha256 && current.thumbnail && (await this.store.has(current.thumbnailSha256))) {
          return { sha256: current.thumbnailSha256, sizeBytes: Number(current.thumbnail.sizeBytes) };
        }
        const original = await buffer(await this.store.openRead(sample.sha256));
        // Ingestion measured the image; decoding more pixels than it found would mean other bytes.
        const thumbnail = await createThumbnail(original, { maxPixels: sample.width * sample.height });
        const stored = await this.store.put(Readable.from([thumbnail.bytes]));
        await this.references.record(tx, [stored]);
        await tx.sample.update({ where: { id: sample.id }, data: { thumbnailSha256: stored.sha256 } });
        return { sha256: stored.sha256, sizeBytes: stored.sizeBytes };
      },
      { timeout: THUMBNAIL_TRANSACTION_MS, maxWait: THUMBNAIL_TRANSACTION_MS },
    );
  }
}
