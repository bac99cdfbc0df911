import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import type { Logger } from "../../logger";
import { badInput } from "../../errors";
import type { SafeZip, SafeZipEntry } from "../../archives/safe-zip";
import type { BlobStore } from "../../storage/blob-store";
import type { BlobReferences } from "../../blobs/blob-references";
import type { DatasetUploadResult, SkippedFile } from "../datasets.types";
import type { DatasetSplit } from "../csv/csv-mapping";
import { datasetImageMaxPixels, ingestConcurrency } from "../ingest/class-folder-archive";
import type { ClassFile, LayoutSkip } from "../ingest/archive-layout";
import type { CheckedDatasetInput } from "../ingest/dataset-input";
import { ingestImages } from "../ingest/ingest-images";
import { createVersion, uploadResult, type VersionImage } from "../ingest/create-version";

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
  logger: Logger;
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
  const imageBlobs: string[] = [];
  try {
    const ingested = await ingestImages(plan.source, plan.files, store, imageBlobs, {
      maxPixels: datasetImageMaxPixels,
      maxImageBytes: config.limits.maxImageBytes,
      concurrency: ingestConcurrency,
      signal,
    });
    const byPath = new Map(plan.files.map((file) => [file.path, file]));
    const images: VersionImage[] = ingested.accepted.map((image) => {
      const file = byPath.get(image.path)!;
      return { ...image, split: file.split, metadata: file.metadata };
    });
    const skipped: SkippedFile[] = [...plan.skipped, ...ingested.skipped];
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
