import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { notFound } from "../../errors";
import { analyzeQuality } from "./analyze-quality";
import { embeddingBasis, loadQualitySamples, loadVersionVectors, type EmbeddingBasis } from "./quality-data";
import { nearestNeighbours } from "./nearest-neighbours";
import { qualityThresholds } from "./quality-thresholds";
import type { Finding } from "./quality-input";

/** DatasetVersion.quality as stored: the analysis, when, and on which embeddings. */
export interface StoredQualityReport {
  score: number;
  findings: Finding[];
  computedAt: string;
  usedEmbeddings: boolean;
  embeddings: EmbeddingBasis | null;
}

export interface QualityReportView extends Omit<StoredQualityReport, "computedAt" | "embeddings"> {
  computedAt: Date;
  /** Key of the space whose neighbours the label check used. */
  embeddingSpace: string | null;
}

/**
 * Quality reports of dataset versions, stored in DatasetVersion.quality. A version's samples never
 * change, so a report goes stale only when embeddings arrive: reads compare the stored embedding
 * basis with the current one and recompute when they differ (or when no report exists yet). The
 * embedding job calls computeQuality when a run completes so the first read after it is cheap.
 */
export class DatasetQualityService {
  /** Computations in progress in this process, so concurrent reads of one version share one. */
  private readonly inFlight = new Map<string, Promise<StoredQualityReport>>();

  constructor(private readonly prisma: PrismaClient) {}

  /** Recomputes and stores the report of a version (e.g. after its embeddings complete). */
  computeQuality(versionId: string): Promise<StoredQualityReport> {
    let pending = this.inFlight.get(versionId);
    if (!pending) {
      pending = this.compute(versionId).finally(() => this.inFlight.delete(versionId));
      this.inFlight.set(versionId, pending);
    }
    return pending;
  }

  /** The stored report, recomputed first if missing or stale. Callers check visibility. */
  async reportFor(versionId: string): Promise<QualityReportView> {
    const [row, basis] = await Promise.all([
      this.prisma.datasetVersion.findUnique({ where: { id: versionId }, select: { quality: true } }),
      embeddingBasis(this.prisma, versionId),
    ]);
    if (!row) throw notFound(`Dataset version ${versionId}`);
    const stored = row.quality as unknown as StoredQualityReport | null;
    const fresh =
      stored && sameBasis(stored.embeddings, basis) ? stored : await this.computeQuality(versionId);
    return toView(fresh);
  }

  private async compute(versionId: string): Promise<StoredQualityReport> {
    const version = await this.prisma.datasetVersion.findUnique({
      where: { id: versionId },
      select: { skipped: true },
    });
    if (!version) throw notFound(`Dataset version ${versionId}`);
    const [samples, basis] = await Promise.all([
      loadQualitySamples(this.prisma, versionId),
      embeddingBasis(this.prisma, versionId),
    ]);
    const neighbours = basis
      ? await nearestNeighbours(
          await loadVersionVectors(this.prisma, versionId, basis.spaceId),
          qualityThresholds.labelNeighbours,
        )
      : null;
    const analysis = analyzeQuality({
      samples,
      skipped: version.skipped as unknown as Array<{ path: string; reason: string }>,
      neighbours,
    });
    const report: StoredQualityReport = {
      ...analysis,
      computedAt: new Date().toISOString(),
      embeddings: basis,
    };
    await this.prisma.datasetVersion.update({
      where: { id: versionId },
      data: { quality: report as unknown as Prisma.InputJsonObject },
    });
    return report;
  }
}

function sameBasis(a: EmbeddingBasis | null, b: EmbeddingBasis | null): boolean {
  return a === b || (!!a && !!b && a.spaceId === b.spaceId && a.samples === b.samples);
}

function toView({ embeddings, computedAt, ...report }: StoredQualityReport): QualityReportView {
  return { ...report, computedAt: new Date(computedAt), embeddingSpace: embeddings?.spaceKey ?? null };
}
