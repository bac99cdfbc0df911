import type { BlobSweepConfig } from "../config";
import type { Logger } from "../logger";
import type { BlobStore, ListedBlob, RemovedFiles } from "../storage/blob-store";
import type { BlobReferences } from "./blob-references";

/** Orphan files removed, and unreferenced rows released, per database transaction. */
const BATCH_SIZE = 500;
/** Missing files named in the warning; the count covers all of them. */
const MISSING_NAMED = 20;

interface BlobSweepReport {
  /** Partial files of uploads a crash cut short. */
  abandonedUploads: RemovedFiles;
  /** Blob files no Blob row names, past the grace. */
  orphanFiles: RemovedFiles;
  /** Blob rows nothing referenced any more, released with their files. */
  unreferencedRows: string[];
  /** Blob rows whose file is gone. Never deleted: the samples and models on them would vanish unseen. */
  missingFiles: string[];
}

/**
 * Removes what a crash leaves in the blob store: at start, then every `intervalMs`.
 *
 * Why a grace: an upload puts its files first and records their Blob rows at the end, in the
 * transaction that inserts its samples or model files; until then its files have no row. So a
 * file without a row is either an upload's, from its put (which refreshes the file's time even
 * when the content was already stored) to its commit or release, or an orphan. Correctness never
 * rests on the grace: the sweep deletes a file only under the blob's advisory lock after finding
 * no row, and record() takes the same lock and refuses (CONFLICT) when the file is gone, so no
 * row can ever name a deleted file. The grace only keeps the sweep from failing uploads still
 * running, so it must exceed the longest upload from its put to its commit: the body (bounded by
 * maxUploadMs) plus the processing after it (decoding every image of an archive).
 */
export class BlobSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<BlobSweepReport | null> | undefined;
  private stopped = false;

  constructor(
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly logger: Logger,
    private readonly settings: BlobSweepConfig,
  ) {}

  start(): void {
    const run = () => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    };
    run();
    this.timer = setInterval(run, this.settings.intervalMs);
    this.timer.unref();
  }

  /** Ends a sweep in progress at its next file and waits for it, so the database can close. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass, logged; null when it failed (logged too: the next pass tries again). */
  async sweep(now = new Date()): Promise<BlobSweepReport | null> {
    try {
      const report = await this.pass(now.getTime());
      this.log(report);
      return report;
    } catch (error) {
      this.logger.error({ err: error }, "blob sweep failed; the next one tries again");
      return null;
    }
  }

  private async pass(now: number): Promise<BlobSweepReport> {
    const abandonedUploads = await this.store.removeAbandonedUploads(
      new Date(now - this.settings.maxUploadMs),
    );
    const unreferencedRows: string[] = [];
    for (let batch: string[] = []; !this.stopped;) {
      batch = await this.references.releaseUnreferenced(BATCH_SIZE);
      unreferencedRows.push(...batch);
      if (batch.length < BATCH_SIZE) break;
    }
    const { orphanFiles, missingFiles } = await this.reconcile(new Date(now - this.settings.orphanGraceMs));
    return { abandonedUploads, orphanFiles, unreferencedRows, missingFiles };
  }

  /**
   * Merges the store's listing with the Blob rows, both in ascending sha256 order, in one pass:
   * a file with no row past the grace is an orphan, a row with no file is missing. (Hex digits
   * sort alike in every collation; were the orders ever to differ, the checks under lock below
   * would still keep every recorded file.)
   */
  private async reconcile(graceCutoff: Date) {
    const orphanFiles: RemovedFiles = { names: [], sizeBytes: 0 };
    const unmatchedRows: string[] = [];
    let candidates: ListedBlob[] = [];
    const removeCandidates = async () => {
      const removed = new Set(await this.references.removeUnrecorded(candidates.map((file) => file.sha256)));
      for (const file of candidates.filter((candidate) => removed.has(candidate.sha256))) {
        orphanFiles.names.push(file.sha256);
        orphanFiles.sizeBytes += file.sizeBytes;
      }
      candidates = [];
    };
    const rows = this.references.recorded()[Symbol.asyncIterator]();
    let row = await rows.next();
    for await (const file of this.store.list()) {
      if (this.stopped) break;
      while (!row.done && row.value < file.sha256) {
        unmatchedRows.push(row.value);
        row = await rows.next();
      }
      if (!row.done && row.value === file.sha256) {
        row = await rows.next();
      } else if (file.modifiedAt < graceCutoff) {
        candidates.push(file);
        if (candidates.length >= BATCH_SIZE) await removeCandidates();
      }
    }
    for (; !row.done && !this.stopped; row = await rows.next()) unmatchedRows.push(row.value);
    await removeCandidates();
    // A row recorded while the listing ran (its file listed before it was written) is not missing.
    const missingFiles: string[] = [];
    for (const sha256 of unmatchedRows) if (!(await this.store.has(sha256))) missingFiles.push(sha256);
    return { orphanFiles, missingFiles };
  }

  private log({ abandonedUploads, orphanFiles, unreferencedRows, missingFiles }: BlobSweepReport): void {
    const counts = {
      abandonedUploads: abandonedUploads.names.length,
      abandonedUploadBytes: abandonedUploads.sizeBytes,
      orphanFiles: orphanFiles.names.length,
      orphanFileBytes: orphanFiles.sizeBytes,
      unreferencedRows: unreferencedRows.length,
    };
    if (counts.abandonedUploads + counts.orphanFiles + counts.unreferencedRows === 0) {
      this.logger.debug(counts, "blob sweep found nothing to remove");
    } else {
      this.logger.info(counts, "blob sweep removed files left by interrupted uploads");
      this.logger.debug(
        { abandonedUploads: abandonedUploads.names, orphanFiles: orphanFiles.names, unreferencedRows },
        "blob sweep removed these files",
      );
    }
    if (missingFiles.length > 0) {
      this.logger.warn(
        { missingFiles: missingFiles.length, sha256: missingFiles.slice(0, MISSING_NAMED) },
        "Blob rows whose file is missing from the blob store; the rows are kept",
      );
    }
  }
}
