import { Readable } from "node:stream";
import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences, StoredBlob } from "../../blobs/blob-references";
import type { Logger } from "../../logger";
import { SingleFlight } from "../../single-flight";
import type { BlobStore } from "../../storage/blob-store";
import { reportCharts } from "./report-charts";
import { collectReportData } from "./report-data";
import { reportHtml } from "./report-html";
import { renderPngs, thumbnailUris } from "./report-images";
import { isStoredReport, type StoredReport } from "./report-links";

/**
 * A succeeded job's report, rendered the first time someone asks for it and kept as blobs
 * (TrainingJob.report holds their sha256s). Rendering on demand rather than at the end of the
 * job keeps a renderer failure from failing a training run, costs nothing for jobs nobody opens,
 * and gives jobs trained before reports existed one too.
 */
export class TrainingReportsService {
  private readonly rendering = new SingleFlight<StoredReport | null>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly logger: Logger,
  ) {}

  /** The job's report, rendered now when it has none; null unless the job SUCCEEDED. */
  async reportOf(jobId: string): Promise<StoredReport | null> {
    const row = await this.prisma.trainingJob.findUnique({
      where: { id: jobId },
      select: { report: true, job: { select: { status: true } } },
    });
    if (!row || row.job.status !== "SUCCEEDED") return null;
    if (isStoredReport(row.report)) return row.report;
    // Concurrent asks on this replica share one render; another replica's render is settled below.
    return this.rendering.run(jobId, () => this.render(jobId));
  }

  /** The stored report without rendering one (the file routes serve what exists). */
  async storedReport(jobId: string): Promise<StoredReport | null> {
    const row = await this.prisma.trainingJob.findUnique({ where: { id: jobId }, select: { report: true } });
    return row && isStoredReport(row.report) ? row.report : null;
  }

  private async render(jobId: string): Promise<StoredReport | null> {
    const started = performance.now();
    const data = await collectReportData(this.prisma, jobId, new Date());
    if (!data) return null;
    const thumbnails = await thumbnailUris(
      this.prisma,
      this.store,
      data.misclassified.map((mistake) => mistake.sampleId),
    );
    const charts = reportCharts(data, thumbnails);
    const html = await this.put(Buffer.from(reportHtml(data, charts)));
    const json = await this.put(Buffer.from(JSON.stringify(data, null, 2)));
    const pngs: Array<{ name: string; blob: StoredBlob }> = [];
    for (const { name, png } of await renderPngs(charts)) pngs.push({ name, blob: await this.put(png) });
    const report: StoredReport = {
      html: html.sha256,
      json: json.sha256,
      png: pngs.map(({ name, blob }) => ({ name, sha256: blob.sha256 })),
      generatedAt: data.generatedAt,
    };
    const blobs = [html, json, ...pngs.map(({ blob }) => blob)];
    const stored = await this.prisma.$transaction(async (tx) => {
      await this.references.record(tx, blobs);
      const updated = await tx.trainingJob.updateMany({
        where: { id: jobId, report: { equals: Prisma.AnyNull } },
        data: { report: report as unknown as Prisma.InputJsonValue },
      });
      return updated.count === 1;
    });
    if (!stored) {
      // Another replica stored its render first: keep that one, drop ours (shared bytes stay).
      await this.references.release(blobs.map((blob) => blob.sha256));
      return this.storedReport(jobId);
    }
    this.logger.info(
      { jobId, files: blobs.length, ms: Math.round(performance.now() - started) },
      "rendered a training report",
    );
    return report;
  }

  private async put(bytes: Buffer): Promise<StoredBlob> {
    const { sha256, sizeBytes } = await this.store.put(Readable.from([bytes]));
    return { sha256, sizeBytes };
  }
}
