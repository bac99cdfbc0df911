import { Readable } from "node:stream";
import { AppError, ErrorCode } from "../../errors";
import { readZipEntry, type SafeZip, type SafeZipEntry } from "../../archives/safe-zip";
import type { BlobStore } from "../../storage/blob-store";
import { formatBytes } from "../../storage/format-bytes";
import type { ImageAnalysis, ImageLimits } from "../images/analyze-image";
import type { AnalysedImage, ImageAnalyser } from "../images/analysis-pool";
import { sharedImageAnalysis } from "../images/shared-analysis-pool";
import type { ClassFile, LayoutSkip } from "./archive-layout";

export interface AcceptedImage {
  path: string;
  className: string;
  sizeBytes: number;
  image: ImageAnalysis;
}

export interface IngestImageOptions extends ImageLimits {
  /** Larger entries are skipped without being read: each image is held in memory once. */
  maxImageBytes: number;
  /** Images read, decoded and stored at once: also the most image bytes held (× maxImageBytes). */
  concurrency: number;
  /** Where images are analysed: the process's shared pool of threads unless said (tests). */
  analysis?: ImageAnalyser;
  signal?: AbortSignal;
  /** Called after each file is accepted or skipped (in completion order, not archive order). */
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  /** Files accepted or skipped so far. */
  processed: number;
  total: number;
  /** Of `processed`, the files skipped. */
  rejected: number;
}

export interface IngestedImages {
  /** In archive order. */
  accepted: AcceptedImage[];
  /** In archive order. */
  skipped: LayoutSkip[];
}

type Outcome = { accepted: AcceptedImage } | { skipped: LayoutSkip };

/**
 * Reads each class file from the archive, decodes it once (analyzeImage) and stores the accepted
 * bytes in the blob store (content-addressed, so the same bytes are stored once). A bad image is a
 * per-file skip with the analyser's reason; anything else (the disk, an abort) fails the whole call
 * after releasing nothing itself: every blob put into the store is pushed onto the caller's
 * `stored`, which the caller releases if this call or anything after it fails.
 *
 * Durability point: the blobs are written without a flush each (`deferSync`) and made durable
 * together by one `syncPending` before this call resolves, so the caller's transaction, which
 * records them, always commits after every blob it names is on disk. A per-blob fsync, temp file
 * and folder included, cost more than the analysis itself (4–13 ms per image on this disk).
 * Storing overlaps analysis: each of the `concurrency` loops stores its image while the others'
 * are analysed, so at most that many images are held at once.
 *
 * The analysis (decode, rendering, measures, sha256) runs on the shared pool's threads
 * (shared-analysis-pool.ts), the bytes moved there and back, so this thread keeps reading the
 * archive, storing blobs and answering requests. Measured on 2 cores with 5,000 generated 64–128 px
 * images (bench `datasets ingest`, load average 2–4): the event loop's CPU per image fell from 3.6
 * to 1.5 ms, most of what is left being the blob store's put. An older measurement (192–320 px,
 * libvips rendering every image) had found a millisecond per image on the loop and argued against
 * a pool. A thread that dies fails the call with INTERNAL_SERVER_ERROR, as the disk failing would.
 */
export async function ingestImages(
  zip: SafeZip,
  files: readonly ClassFile<SafeZipEntry>[],
  store: BlobStore,
  stored: string[],
  options: IngestImageOptions,
): Promise<IngestedImages> {
  const outcomes: Outcome[] = new Array(files.length);
  const progress: IngestProgress = { processed: 0, total: files.length, rejected: 0 };
  options.onProgress?.({ ...progress });
  const analysis = options.analysis ?? sharedImageAnalysis();
  let next = 0;
  let failed = false;
  const work = async () => {
    while (next < files.length && !failed) {
      const index = next++;
      try {
        options.signal?.throwIfAborted();
        const outcome = await ingestOne(zip, files[index]!, store, analysis, options, stored);
        outcomes[index] = outcome;
        progress.processed += 1;
        if ("skipped" in outcome) progress.rejected += 1;
        options.onProgress?.({ ...progress });
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // Settled, not raced: a loop still storing after the first failure would leave a blob behind.
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, options.concurrency) }, work));
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  await store.syncPending(stored);
  const accepted: AcceptedImage[] = [];
  const skipped: LayoutSkip[] = [];
  for (const outcome of outcomes) {
    if ("accepted" in outcome) accepted.push(outcome.accepted);
    else skipped.push(outcome.skipped);
  }
  return { accepted, skipped };
}

async function ingestOne(
  zip: SafeZip,
  file: ClassFile<SafeZipEntry>,
  store: BlobStore,
  analysis: ImageAnalyser,
  options: IngestImageOptions,
  stored: string[],
): Promise<Outcome> {
  const { path, className, entry } = file;
  if (entry.sizeBytes > options.maxImageBytes) {
    const reason = `The file is ${formatBytes(entry.sizeBytes)}; images of at most ${formatBytes(options.maxImageBytes)} are accepted`;
    return { skipped: { path, reason } };
  }
  let bytes: Buffer;
  try {
    bytes = await readZipEntry(zip, entry);
  } catch (error) {
    // A damaged entry (bad CRC, broken deflate data, a lying size) spoils that file only.
    if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) {
      return { skipped: { path, reason: error.message } };
    }
    throw error;
  }
  let analysed: AnalysedImage;
  try {
    analysed = await analysis.analyze(bytes, { maxPixels: options.maxPixels }, options.signal);
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.INTERNAL_SERVER_ERROR) {
      throw new AppError(
        error.code,
        `${error.message} while checking "${path}"; nothing of this upload was saved, try it again`,
      );
    }
    throw error;
  }
  const { result } = analysed;
  if (!result.ok) return { skipped: { path, reason: result.rejection.message } };
  // The bytes came back from the analysis thread: `bytes` itself is empty now.
  const blob = await store.put(Readable.from([analysed.bytes]), {
    signal: options.signal,
    deferSync: true,
  });
  stored.push(blob.sha256);
  return { accepted: { path, className, sizeBytes: blob.sizeBytes, image: result.image } };
}
