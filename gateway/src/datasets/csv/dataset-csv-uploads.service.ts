import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import { badInput } from "../../errors";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import type { BlobReferences } from "../../blobs/blob-references";
import { ingestFiles, type IncomingFile } from "../../blobs/ingest";
import { openSafeZip } from "../../archives/safe-zip";
import { requireViewer, type Viewer } from "../../users/access";
import type { DatasetInput, DatasetUploadResult, SkippedFile } from "../datasets.types";
import { datasetImageMaxPixels, ingestConcurrency } from "../ingest/class-folder-archive";
import { checkDatasetInput } from "../ingest/dataset-input";
import { ingestImages } from "../ingest/ingest-images";
import { createVersion, uploadResult, type VersionImage } from "../ingest/create-version";
import { readCsvMapping } from "./csv-mapping";
import { planCsvLayout } from "./csv-layout";

/**
 * CSV mapping uploads: a CSV of `path,label[,split][,metadata…]` and the ZIP archive its paths
 * refer to. Every path is relative to the archive; remote URLs are not fetched here (importDataset
 * with a URL source does that), so an upload without an archive is refused with BAD_USER_INPUT.
 * Otherwise this behaves like a ZIP upload: the new version (source CSV) appears in one
 * transaction, files are skipped and listed per file, and a failure releases every blob stored.
 */
export class DatasetCsvUploadsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileBackedBlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
  ) {}

  async uploadCsv(
    viewer: Viewer | null,
    input: DatasetInput,
    csv: IncomingFile,
    archive: IncomingFile | null,
    signal?: AbortSignal,
  ): Promise<DatasetUploadResult> {
    const user = requireViewer(viewer);
    const checked = checkDatasetInput(input);
    if (!archive) {
      throw badInput(
        "uploadDatasetCsv needs `archive`: the ZIP holding the files the CSV's `path` column names " +
          "(paths are relative to it; to fetch files over HTTP use importDataset with a URL source)",
        { field: "archive" },
      );
    }
    const [csvBlob, archiveBlob] = await this.storeUploads(csv, archive, signal);
    const imageBlobs: string[] = [];
    try {
      const rows = await readCsvMapping(
        await this.store.openRead(csvBlob),
        this.config.limits.archive.maxEntries,
      );
      const { images, skipped } = await this.store.withLocalFile(archiveBlob, async (archivePath) => {
        const zip = await openSafeZip(archivePath, this.config.limits.archive);
        try {
          const layout = planCsvLayout(rows, zip.entries);
          const ingested = await ingestImages(zip, layout.files, this.store, imageBlobs, {
            maxPixels: datasetImageMaxPixels,
            maxImageBytes: this.config.limits.maxImageBytes,
            concurrency: ingestConcurrency,
            signal,
          });
          const images: VersionImage[] = ingested.accepted.map((image) => {
            const row = layout.rowByPath.get(image.path)!;
            return { ...image, split: row.split, metadata: row.metadata };
          });
          const skipped: SkippedFile[] = [...layout.skipped, ...ingested.skipped];
          return { images, skipped };
        } finally {
          zip.close();
        }
      });
      if (images.length === 0) {
        throw badInput(
          `No row of the CSV names a valid image in the archive; ${skipped.length} file(s) or row(s) were skipped`,
          { skipped },
        );
      }
      return uploadResult(
        await createVersion(this.prisma, this.references, {
          ownerId: user.id,
          input: checked,
          images,
          skipped,
          source: "CSV",
        }),
        skipped,
      );
    } catch (error) {
      await this.references.release(imageBlobs);
      throw error;
    } finally {
      // Neither upload is kept: the CSV's content lives on in the memberships, the archive's in its images.
      await this.references.release([csvBlob, archiveBlob]);
    }
  }

  /**
   * Both files are stored at once: a multipart body may carry them in either order, and the second
   * arrives only once the first was read.
   */
  private async storeUploads(csv: IncomingFile, archive: IncomingFile, signal?: AbortSignal) {
    const options = {
      maxBytes: this.config.limits.maxUploadBytes,
      checkPath: (path: string) => path,
      signal,
    };
    const results = await Promise.allSettled([
      ingestFiles(this.store, this.references, [csv], options),
      ingestFiles(this.store, this.references, [archive], options),
    ]);
    const stored = results.flatMap((result) =>
      result.status === "fulfilled" ? [result.value[0]!.sha256] : [],
    );
    const failure = results.find((result) => result.status === "rejected");
    if (failure) {
      await this.references.release(stored);
      throw failure.reason;
    }
    return stored as [string, string];
  }
}
