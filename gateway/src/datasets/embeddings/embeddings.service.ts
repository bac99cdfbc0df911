import type { PrismaClient } from "../../generated/prisma/client";
import { notFound } from "../../errors";
import { isUuid } from "../../graphql/ids";
import type { EmbeddingMethod } from "../../inference/inference.types";
import type { JobQueue } from "../../jobs/job-queue";
import { assertCanChange, canSee, requireViewer, type Viewer } from "../../users/access";
import { checkEmbeddingOptions, upsertSpace, type EmbeddingSpec } from "./embedding-spaces";
import type { EmbeddingProgress } from "./embedding-progress";
import { EmbeddingRunState, type EmbeddingOptionsInput, type EmbeddingStatus } from "./embeddings.types";

export const EMBED_JOB = "embed-dataset-version";

type RunRow = {
  id: string;
  versionId: string;
  spaceId: string;
  state: string;
  total: number;
  done: number;
  failed: number;
  qualityThreshold: number | null;
  error: string | null;
  space: { key: string; method: string; dimension: number; modelVersionId: string | null };
};

/** Queues embedding runs (one per dataset version and space) and reports their progress. */
export class EmbeddingsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobs: JobQueue,
    readonly progress: EmbeddingProgress,
  ) {}

  /** Checks options before an upload stores anything. */
  check(viewer: Viewer | null, options: EmbeddingOptionsInput | null | undefined): Promise<EmbeddingSpec> {
    return checkEmbeddingOptions(this.prisma, viewer, options);
  }

  /**
   * Creates (or re-queues) the version's run in the spec's space and sends its job. A run that
   * already succeeded is returned as it is; the job's singleton key (the run id) keeps a run from
   * being queued twice while it waits.
   */
  async queue(versionId: string, spec: EmbeddingSpec): Promise<EmbeddingStatus> {
    const space = await upsertSpace(this.prisma, spec);
    const version = await this.prisma.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
    const existing = await this.prisma.embeddingRun.findUnique({
      where: { versionId_spaceId: { versionId, spaceId: space.id } },
      include: { space: true },
    });
    if (existing?.state === EmbeddingRunState.SUCCEEDED) return toStatus(existing);
    const run = await this.prisma.embeddingRun.upsert({
      where: { versionId_spaceId: { versionId, spaceId: space.id } },
      create: {
        versionId,
        spaceId: space.id,
        total: version.imageCount,
        qualityThreshold: spec.qualityThreshold,
      },
      update: { state: EmbeddingRunState.QUEUED, error: null, qualityThreshold: spec.qualityThreshold },
      include: { space: true },
    });
    await this.jobs.send(EMBED_JOB, { runId: run.id }, { singletonKey: run.id });
    const status = toStatus(run);
    this.progress.publish(status);
    return status;
  }

  /** `embedDatasetVersion`: the owner embeds an existing version into another space. */
  async embedVersion(
    viewer: Viewer | null,
    versionId: string,
    options: EmbeddingOptionsInput | null | undefined,
  ): Promise<EmbeddingStatus> {
    const user = requireViewer(viewer);
    const version = isUuid(versionId)
      ? await this.prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
      : null;
    assertCanChange(user, version?.dataset ?? null, `Dataset version ${versionId}`);
    return this.queue(versionId, await this.check(viewer, options));
  }

  /** Every run of the version, oldest space first. */
  async statusesOf(versionId: string): Promise<EmbeddingStatus[]> {
    const runs = await this.prisma.embeddingRun.findMany({
      where: { versionId },
      include: { space: true },
      orderBy: { createdAt: "asc" },
    });
    return runs.map(toStatus);
  }

  async statusOfRun(runId: string): Promise<EmbeddingStatus | null> {
    const run = await this.prisma.embeddingRun.findUnique({ where: { id: runId }, include: { space: true } });
    return run ? toStatus(run) : null;
  }

  /** Current statuses, then every change, for a version the viewer can see. */
  async follow(viewer: Viewer | null, versionId: string): Promise<AsyncGenerator<EmbeddingStatus>> {
    const version = isUuid(versionId)
      ? await this.prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
      : null;
    if (!version || !canSee(viewer, version.dataset)) throw notFound(`Dataset version ${versionId}`);
    return this.progress.follow(versionId, () => this.statusesOf(versionId));
  }

  /** Sample ids of the version whose quality in the run's space is under its threshold. */
  async flaggedSampleIds(status: EmbeddingStatus): Promise<string[]> {
    if (status.qualityThreshold === null) return [];
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT e."sampleId"::text AS id FROM "Embedding" e
      JOIN "VersionSample" vs ON vs."sampleId" = e."sampleId" AND vs."versionId" = ${status.datasetVersionId}::uuid
      WHERE e."spaceId" = ${status.spaceId}::uuid AND e.quality < ${status.qualityThreshold}
      ORDER BY e.quality, e."sampleId"`;
    return rows.map((r) => r.id);
  }
}

export function toStatus(run: RunRow): EmbeddingStatus {
  return {
    datasetVersionId: run.versionId,
    spaceId: run.spaceId,
    space: run.space.key,
    method: run.space.method as EmbeddingMethod,
    dimension: run.space.dimension,
    modelVersionId: run.space.modelVersionId,
    total: run.total,
    done: run.done,
    failed: run.failed,
    state: run.state as EmbeddingRunState,
    error: run.error,
    qualityThreshold: run.qualityThreshold,
  };
}
