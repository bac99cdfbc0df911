import type { PrismaClient } from "../generated/prisma/client";
import type { GatewayConfig } from "../config";
import { badInput } from "../errors";
import type { FileBackedBlobStore } from "../storage/file-backed";
import type { BlobReferences } from "../blobs/blob-references";
import { ingestFiles, type IncomingFile } from "../blobs/ingest";
import { openSafeZip } from "../archives/safe-zip";
import { requireViewer, type Viewer } from "../users/access";
import type { DatasetInput, DatasetUploadResult, SkippedFile } from "./datasets.types";
import { planArchiveLayout } from "./ingest/archive-layout";
import { checkDatasetInput } from "./ingest/dataset-input";
import { ingestImages, IngestFailure, type AcceptedImage } from "./ingest/ingest-images";
import { createVersion } from "./ingest/create-version";

/** Largest width × height of a dataset image (first frame), checked from the header before decoding. */
export const datasetImageMaxPixels = 50_000_000;

/** Images decoded at once; see ingestImages for why this is not a worker pool. */
const ingestConcurrency = 4;

/**
 * ZIP uploads of class folders. The archive is stored as a temporary blob, its whole central
 * directory is checked against the archive limits, then each class file is decoded once and its
 * bytes stored; one transaction at the end makes the new version visible. If anything fails, every
 * blob this upload stored is released and no row remains.
 */
export class DatasetUploadsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileBackedBlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
  ) {}

  async uploadZip(
    viewer: Viewer | null,
    input: DatasetInput,
    archive: IncomingFile,
    signal?: AbortSignal,
  ): Promise<DatasetUploadResult> {
    const user = requireViewer(viewer);
    const checked = checkDatasetInput(input);
    const [stored] = await ingestFiles(this.store, this.references, [archive], {
      maxBytes: this.config.limits.maxUploadBytes,
      checkPath: (path) => path,
      signal,
    });
    const archiveBlob = stored!.sha256;
    let imageBlobs: string[] = [];
    try {
      const zip = await openSafeZip(this.store.pathOf(archiveBlob), this.config.limits.archive);
      let accepted: AcceptedImage[];
      let skipped: SkippedFile[];
      try {
        const layout = planArchiveLayout(zip.entries);
        const ingested = await ingestImages(zip, layout.files, this.store, {
          maxPixels: datasetImageMaxPixels,
          maxImageBytes: this.config.limits.maxImageBytes,
          concurrency: ingestConcurrency,
          signal,
        });
        imageBlobs = ingested.stored;
        accepted = ingested.accepted;
        // One list in archive order, whichever stage skipped the file.
        skipped = inArchiveOrder([...layout.skipped, ...ingested.skipped], zip.entries);
      } catch (error) {
        if (error instanceof IngestFailure) {
          imageBlobs = error.stored;
          throw error.error;
        }
        throw error;
      } finally {
        zip.close();
      }
      if (accepted.length === 0) {
        throw badInput(
          `The archive holds no valid image: expected class folders of JPEG, PNG, WebP or GIF files; ` +
            `${skipped.length} file(s) were skipped`,
          { skipped },
        );
      }
      const { dataset, version } = await createVersion(this.prisma, this.references, {
        ownerId: user.id,
        input: checked,
        images: accepted,
        skipped,
      });
      return {
        dataset,
        version: { ...version, skipped: version.skipped as unknown as SkippedFile[] },
        imageCount: version.imageCount,
        classCount: version.classCount,
        skipped,
      };
    } catch (error) {
      await this.references.release(imageBlobs);
      throw error;
    } finally {
      // The archive itself is not kept; its images are stored one by one.
      await this.references.release([archiveBlob]);
    }
  }
}

function inArchiveOrder(skipped: SkippedFile[], entries: readonly { path: string }[]): SkippedFile[] {
  const order = new Map(entries.map((entry, index) => [entry.path, index]));
  return skipped.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
}
