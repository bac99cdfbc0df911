import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { badInput, notFound } from "../../errors";
import type { BlobStore } from "../../storage/blob-store";
import type { Viewer } from "../../users/access";
import { analyzeQuality, sizesJudgedAgainst, sizesNotJudged } from "./analyze-quality";
import { loadBaseModel, type BaseModel } from "./base-model-input";
import { lowResolution } from "./image-checks";
import { measureSmallImages } from "./native-sharpness";
import { nearestNeighbours } from "./nearest-neighbours";
import {
  assertOwnVersion,
  deleteDismissal,
  dismissalReason,
  loadDismissals,
  saveDismissal,
} from "./quality-dismissals";
import { embeddingBasis, loadQualitySamples, loadVersionVectors, type EmbeddingBasis } from "./quality-data";
import { qualityThresholds } from "./quality-thresholds";
import type { Finding, QualityFindingKind } from "./quality-input";
import { reportView, type QualityReportView } from "./quality-view";

/**
 * Bumped when the checks change what they find, so reports stored by an older analysis are
 * recomputed on their next read. 2: judged relative to the dataset, with explanations.
 */
const analysisVersion = 2;

/**
 * DatasetVersion.quality as stored: the analysis without a base model (sizes unjudged), when,
 * and on which embeddings. Scores are not stored: they depend on dismissals and the base model.
 */
export interface StoredQualityReport {
  analysisVersion: number;
  findings: Finding[];
  notes: string[];
  computedAt: string;
  usedEmbeddings: boolean;
  embeddings: EmbeddingBasis | null;
}

export interface ReportOptions {
  viewer: Viewer | null;
  /** Judge sizes against this model version's input; null or absent leaves them unjudged. */
  baseModelVersionId?: string | null;
}

/** LOW_RESOLUTION findings kept per (version, model, input size): both are immutable, so never stale. */
const sizeCacheEntries = 64;

/**
 * Quality reports of dataset versions. The report stored on the version (DatasetVersion.quality)
 * is the one without a base model: every check but sizes. A version's samples never change, so
 * it goes stale only when embeddings arrive (or the analysis changes): reads compare the stored
 * embedding basis with the current one and recompute when they differ. Judging sizes against a
 * base model needs only the samples' sizes, so it is computed on request and kept in a small
 * in-process cache. Dismissals and the score are applied on every read.
 */
export class DatasetQualityService {
  /** Computations in progress in this process, so concurrent reads of one version share one. */
  private readonly inFlight = new Map<string, Promise<StoredQualityReport>>();
  private readonly sizeFindings = new Map<string, Finding | null>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: Pick<BlobStore, "openRead">,
  ) {}

  /** Recomputes and stores the report of a version (e.g. after its embeddings complete). */
  computeQuality(versionId: string): Promise<StoredQualityReport> {
    let pending = this.inFlight.get(versionId);
    if (!pending) {
      pending = this.compute(versionId).finally(() => this.inFlight.delete(versionId));
      this.inFlight.set(versionId, pending);
    }
    return pending;
  }

  /** The report, recomputed first if missing or stale. Callers check the version's visibility. */
  async reportFor(versionId: string, options: ReportOptions): Promise<QualityReportView> {
    const baseModel = options.baseModelVersionId
      ? await loadBaseModel(this.prisma, options.viewer, options.baseModelVersionId)
      : null;
    const [stored, dismissals, sizeFinding] = await Promise.all([
      this.storedReport(versionId),
      loadDismissals(this.prisma, versionId),
      baseModel ? this.sizeFinding(versionId, baseModel) : null,
    ]);
    return reportView(
      {
        findings: sizeFinding ? [...stored.findings, sizeFinding] : stored.findings,
        computedAt: new Date(stored.computedAt),
        usedEmbeddings: stored.usedEmbeddings,
        embeddingSpace: stored.embeddings?.spaceKey ?? null,
        baseModelVersion: baseModel?.version ?? null,
        notes: [sizeNote(baseModel), ...stored.notes],
      },
      dismissals,
    );
  }

  /**
   * Dismisses the version's finding of `kind` (owner only). The finding must be in the report
   * (judged against `baseModelVersionId` for LOW_RESOLUTION), so nothing is hidden before it shows.
   */
  async dismiss(
    viewer: Viewer | null,
    versionId: string,
    kind: QualityFindingKind,
    reason: string | null | undefined,
    baseModelVersionId?: string | null,
  ): Promise<QualityReportView> {
    const { user, versionId: id } = await assertOwnVersion(this.prisma, viewer, versionId);
    const text = dismissalReason(reason);
    const current = await this.reportFor(id, { viewer, baseModelVersionId });
    if (!current.findings.some((finding) => finding.kind === kind)) {
      const present = current.findings.map((finding) => finding.kind);
      const sizes =
        kind === "LOW_RESOLUTION" && !baseModelVersionId
          ? " (sizes are judged only with baseModelVersionId)"
          : "";
      throw badInput(
        `The report of version ${id} has no ${kind} finding to dismiss${sizes}; its findings: ${present.join(", ") || "none"}`,
        { field: "kind" },
      );
    }
    await saveDismissal(this.prisma, id, kind, text, user.id);
    return this.reportFor(id, { viewer, baseModelVersionId });
  }

  /** Counts the finding of `kind` in the score again (owner only); restoring one not dismissed changes nothing. */
  async restore(
    viewer: Viewer | null,
    versionId: string,
    kind: QualityFindingKind,
    baseModelVersionId?: string | null,
  ): Promise<QualityReportView> {
    const { versionId: id } = await assertOwnVersion(this.prisma, viewer, versionId);
    await deleteDismissal(this.prisma, id, kind);
    return this.reportFor(id, { viewer, baseModelVersionId });
  }

  private async storedReport(versionId: string): Promise<StoredQualityReport> {
    const [row, basis] = await Promise.all([
      this.prisma.datasetVersion.findUnique({ where: { id: versionId }, select: { quality: true } }),
      embeddingBasis(this.prisma, versionId),
    ]);
    if (!row) throw notFound(`Dataset version ${versionId}`);
    const stored = row.quality as unknown as StoredQualityReport | null;
    return stored?.analysisVersion === analysisVersion && sameBasis(stored.embeddings, basis)
      ? stored
      : this.computeQuality(versionId);
  }

  private async sizeFinding(versionId: string, baseModel: BaseModel): Promise<Finding | null> {
    const input = baseModel.input;
    if (!input) return null;
    const key = `${versionId}/${baseModel.version.id}/${input.width}x${input.height}`;
    const cached = this.sizeFindings.get(key);
    if (cached !== undefined) return cached;
    const [finding = null] = lowResolution(await loadQualitySamples(this.prisma, versionId), input);
    if (this.sizeFindings.size >= sizeCacheEntries) {
      this.sizeFindings.delete(this.sizeFindings.keys().next().value!);
    }
    this.sizeFindings.set(key, finding);
    return finding;
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
    const [embeddings, nativeSharpness] = await Promise.all([
      basis
        ? loadVersionVectors(this.prisma, versionId, basis.spaceId).then((vectors) =>
            nearestNeighbours(vectors, qualityThresholds.labelNeighbours),
          )
        : null,
      measureSmallImages(this.store, samples),
    ]);
    const analysis = analyzeQuality({
      samples,
      skipped: version.skipped as unknown as Array<{ path: string; reason: string }>,
      embeddings,
      nativeSharpness,
    });
    const report: StoredQualityReport = {
      analysisVersion,
      findings: analysis.findings,
      notes: analysis.notes.filter((note) => note !== sizesNotJudged),
      computedAt: new Date().toISOString(),
      usedEmbeddings: analysis.usedEmbeddings,
      embeddings: basis,
    };
    await this.prisma.datasetVersion.update({
      where: { id: versionId },
      data: { quality: report as unknown as Prisma.InputJsonObject },
    });
    return report;
  }
}

function sizeNote(baseModel: BaseModel | null): string {
  if (!baseModel) return sizesNotJudged;
  return baseModel.input
    ? sizesJudgedAgainst(baseModel.input)
    : `Sizes were not judged: base model ${baseModel.name} takes images of any size (no fixed input and no deployment preprocessing size).`;
}

function sameBasis(a: EmbeddingBasis | null, b: EmbeddingBasis | null): boolean {
  return a === b || (!!a && !!b && a.spaceId === b.spaceId && a.samples === b.samples);
}
