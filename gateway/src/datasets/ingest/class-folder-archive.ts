import type { GatewayConfig } from "../../config";
import { badInput } from "../../errors";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import type { BlobReferences } from "../../blobs/blob-references";
import { ingestFiles, type IncomingFile } from "../../blobs/ingest";
import { openSafeZip } from "../../archives/safe-zip";
import type { SkippedFile } from "../datasets.types";
import { planArchiveLayout } from "./archive-layout";
import type { ImageAnalyser } from "../images/analysis-pool";
import { ingestImages, type AcceptedImage } from "./ingest-images";
import type { UploadProgressReporter } from "./upload-progress";

/** Largest width × height of a dataset image (first frame), checked from the header before decoding. */
export const datasetImageMaxPixels = 50_000_000;

/** Images read, analysed and stored at once per upload (the analysis runs on the shared pool's threads). */
export const ingestConcurrency = 4;

export interface ClassFolderArchiveDeps {
  store: FileBackedBlobStore;
  references: BlobReferences;
  config: GatewayConfig;
  /** Where images are analysed; the process's shared pool unless said (tests). */
  analysis?: ImageAnalyser;
}

/**
 * A ZIP of class folders, as uploadDataset and addSamples take it: stored as a temporary blob, its
 * whole central directory checked against the archive limits, each class file decoded once and
 * stored. `use` turns the accepted images into rows; if it (or anything before it) fails, every
 * image blob stored here is released. The archive blob itself is never kept.
 */
export async function withClassFolderArchive<T>(
  deps: ClassFolderArchiveDeps,
  archive: IncomingFile,
  signal: AbortSignal | undefined,
  use: (accepted: AcceptedImage[], skipped: SkippedFile[]) => Promise<T>,
  progress?: UploadProgressReporter,
): Promise<T> {
  const { store, references, config } = deps;
  progress?.phase("RECEIVING");
  const [stored] = await ingestFiles(store, references, [archive], {
    maxBytes: config.limits.maxUploadBytes,
    checkPath: (path) => path,
    signal,
  });
  const archiveBlob = stored!.sha256;
  const imageBlobs: string[] = [];
  try {
    const { accepted, skipped } = await store.withLocalFile(archiveBlob, async (archivePath) => {
      const zip = await openSafeZip(archivePath, config.limits.archive);
      try {
        const layout = planArchiveLayout(zip.entries);
        const ingested = await ingestImages(zip, layout.files, store, imageBlobs, {
          maxPixels: datasetImageMaxPixels,
          maxImageBytes: config.limits.maxImageBytes,
          concurrency: ingestConcurrency,
          analysis: deps.analysis,
          signal,
          onProgress: progress && ((counts) => progress.checking(counts)),
        });
        // One list in archive order, whichever stage skipped the file.
        const skipped = inArchiveOrder([...layout.skipped, ...ingested.skipped], zip.entries);
        return { accepted: ingested.accepted, skipped };
      } finally {
        zip.close();
      }
    });
    progress?.phase("SAVING");
    if (accepted.length === 0) {
      throw badInput(
        `The archive holds no valid image: expected class folders of JPEG, PNG, WebP or GIF files; ` +
          `${skipped.length} file(s) were skipped`,
        { skipped },
      );
    }
    return await use(accepted, skipped);
  } catch (error) {
    await references.release(imageBlobs);
    throw error;
  } finally {
    await references.release([archiveBlob]);
  }
}

function inArchiveOrder(skipped: SkippedFile[], entries: readonly { path: string }[]): SkippedFile[] {
  const order = new Map(entries.map((entry, index) => [entry.path, index]));
  return skipped.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
}
