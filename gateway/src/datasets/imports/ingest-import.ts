import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import { badInput } from "../../errors";
import type { SafeZip, SafeZipEntry } from "../../archives/safe-zip";
import type { BlobStore } from "../../storage/blob-store";
import type { BlobReferences } from "../../blobs/blob-references";
import type { DatasetUploadResult, SkippedFile } from "../datasets.types";
import type { DatasetSplit } from "../csv/csv-mapping";
import { datasetImageMaxPixels } from "../dataset-uploads.service";
import type { ClassFile, LayoutSkip } from "../ingest/archive-layout";
import type { CheckedDatasetInput } from "../ingest/dataset-input";
import { ingestImages, IngestFailure } from "../ingest/ingest-images";
import { createVersion, uploadResult, type VersionImage } from "../ingest/create-version";

/** Images decoded (and, from the Hub, downloaded) at once, as for ZIP uploads. */
const ingestConcurrency = 4;

export interface ImportFile extends ClassFile<SafeZipEntry> {
  split: DatasetSplit | null;
  metadata: Record<string, string> | null;
}

export interface ImportPlan {
  /** Where the bytes are read from: a downloaded ZIP or the Hub itself. */
  source: SafeZip;
  files: readonly ImportFile[];
  skipped: readonly LayoutSkip[];
}

export interface ImportTarget {
  prisma: PrismaClient;
  store: BlobStore;
  references: BlobReferences;
  config: GatewayConfig;
}

/**
 * Decodes and stores the planned images as a ZIP upload does, then writes the version (source
 * IMPORT) in one transaction. On any failure every image blob this call stored is released, so
 * nothing of the import remains.
 */
export async function ingestImport(
  target: ImportTarget,
  ownerId: string,
  input: CheckedDatasetInput,
  plan: ImportPlan,
  signal?: AbortSignal,
): Promise<DatasetUploadResult> {
  const { prisma, store, references, config } = target;
  let imageBlobs: string[] = [];
  try {
    let images: VersionImage[];
    let skipped: SkippedFile[];
    try {
      const ingested = await ingestImages(plan.source, plan.files, store, {
        maxPixels: datasetImageMaxPixels,
        maxImageBytes: config.limits.maxImageBytes,
        concurrency: ingestConcurrency,
        signal,
      });
      imageBlobs = ingested.stored;
      const byPath = new Map(plan.files.map((file) => [file.path, file]));
      images = ingested.accepted.map((image) => {
        const file = byPath.get(image.path)!;
        return { ...image, split: file.split, metadata: file.metadata };
      });
      skipped = [...plan.skipped, ...ingested.skipped];
    } catch (error) {
      if (error instanceof IngestFailure) {
        imageBlobs = error.stored;
        throw error.error;
      }
      throw error;
    }
    if (images.length === 0) {
      throw badInput(
        `The import holds no valid image: expected class folders of JPEG, PNG, WebP or GIF files; ` +
          `${skipped.length} file(s) were skipped`,
        { skipped },
      );
    }
    return uploadResult(
      await createVersion(prisma, references, {
        ownerId,
        input,
        images,
        skipped,
        source: "IMPORT",
      }),
      skipped,
    );
  } catch (error) {
    await references.release(imageBlobs);
    throw error;
  }
}
