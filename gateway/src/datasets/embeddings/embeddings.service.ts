import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { isUuid } from "../../graphql/ids";
import type { EmbeddingMethod } from "../../inference/inference.types";
import type { Logger } from "../../logger";
import { EmbeddingFollower } from "./embedding-follower";
import { snapshotOf, type JobsService } from "../../jobs/jobs.service";
import { assertCanChange, assertCanSee, requireViewer, type Viewer } from "../../users/access";
import { embeddingJobKind } from "./embedding-job-kind";
import { checkEmbeddingOptions, upsertSpace, type EmbeddingSpec } from "./embedding-spaces";
import { EmbeddingRunState, type EmbeddingOptionsInput, type EmbeddingStatus } from "./embeddings.types";

type RunRow = {
  id: string;
  versionId: string;
  spaceId: string;
  total: number;
  done: number;
  failed: number;
  qualityThreshold: number | null;
  job: { status: string; errorMessage: string | null } | null;
  space: { key: string; method: string; dimension: number; modelVersionId: string | null };
};

const runInclude = { space: true, job: { select: { status: true, errorMessage: true } } } as const;

/** Queues embedding runs (one per dataset version and space) and reports their progress. */
export class EmbeddingsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobs: JobsService,
    private readonly logger: Logger,
  ) {}

  /** Checks options before an upload stores anything. */
  check(viewer: Viewer | null, options: EmbeddingOptionsInput | null | undefined): Promise<EmbeddingSpec> {
    return checkEmbeddingOptions(this.prisma, viewer, options);
  }

  /**
   * Creates (or re-queues) the version's run in the spec's space with a new job, in `tx` (the
   * transaction that writes the version, for uploads). A run that already succeeded, or whose job
   * still waits or runs, is left as it is. Returns the kind to wake after commit, if one was queued.
   * `startedByUser`: an explicit request (embedDatasetVersion), under the concurrent-jobs quota; an
   * upload's own embedding job is not refused for it.
   */
  async queueIn(
    tx: Prisma.TransactionClient,
    versionId: string,
    spaceId: string,
    qualityThreshold: number | null,
    ownerId: string,
    startedByUser = false,
  ): Promise<boolean> {
    const version = await tx.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
    // Two requests queueing the same run at once: the second waits here and then sees the first's job.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`embedding-run:${versionId}:${spaceId}`}, 0))::text`;
    const existing = await tx.embeddingRun.findUnique({
      where: { versionId_spaceId: { versionId, spaceId } },
      include: runInclude,
    });
    if (existing?.job && existing.job.status !== "FAILED" && existing.job.status !== "CANCELLED")
      return false;
    const run = await tx.embeddingRun.upsert({
      where: { versionId_spaceId: { versionId, spaceId } },
      // The unlabeled pool is embedded too: active learning measures diversity over its vectors.
      create: { versionId, spaceId, total: version.imageCount + version.unlabeledCount, qualityThreshold },
      update: { qualityThreshold },
    });
    const job = await this.jobs.enqueue(tx, embeddingJobKind, {
      ownerId,
      payload: { runId: run.id, datasetVersionId: versionId },
      startedByUser,
    });
    await tx.embeddingRun.update({ where: { id: run.id }, data: { jobId: job.id } });
    return true;
  }

  /** Wakes this process's embedding workers after a transaction that queued a run committed. */
  queued(): void {
    this.jobs.queued(embeddingJobKind);
  }

  /** The space a spec names, created on first use (before the transaction that queues into it). */
  async space(spec: EmbeddingSpec): Promise<string> {
    return (await upsertSpace(this.prisma, spec)).id;
  }

  /** Queues the version's run in its own transaction (an existing version embedded again). */
  async queue(versionId: string, spec: EmbeddingSpec, ownerId: string): Promise<EmbeddingStatus> {
    const spaceId = await this.space(spec);
    const queued = await this.prisma.$transaction((tx) =>
      this.queueIn(tx, versionId, spaceId, spec.qualityThreshold, ownerId, true),
    );
    // Read before the workers are woken: the answer is the run as queued.
    const run = await this.prisma.embeddingRun.findUniqueOrThrow({
      where: { versionId_spaceId: { versionId, spaceId } },
      include: runInclude,
    });
    if (queued) this.queued();
    return toStatus(run);
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
    return this.queue(versionId, await this.check(viewer, options), user.id);
  }

  /** Every run of the version, oldest space first. */
  async statusesOf(versionId: string): Promise<EmbeddingStatus[]> {
    const runs = await this.prisma.embeddingRun.findMany({
      where: { versionId },
      include: runInclude,
      orderBy: { createdAt: "asc" },
    });
    return runs.map(toStatus);
  }

  async statusOfRun(runId: string): Promise<EmbeddingStatus | null> {
    const run = await this.prisma.embeddingRun.findUnique({ where: { id: runId }, include: runInclude });
    return run ? toStatus(run) : null;
  }

  /**
   * Current statuses, then every change, for a version the viewer can see: a view over the job
   * platform's logs of the version's runs (see EmbeddingFollower). Runs until the client leaves.
   */
  async follow(viewer: Viewer | null, versionId: string): Promise<AsyncIterableIterator<EmbeddingStatus>> {
    const row = isUuid(versionId)
      ? await this.prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
      : null;
    assertCanSee(viewer, row, `Dataset version ${versionId}`, (version) => version.dataset);
    const follower = new EmbeddingFollower({
      events: this.jobs.events,
      runs: async () => {
        const runs = await this.prisma.embeddingRun.findMany({
          where: { versionId, jobId: { not: null } },
          select: { id: true, jobId: true },
        });
        return runs.map((run) => ({ runId: run.id, jobId: run.jobId! }));
      },
      startingState: (jobId, seq) => snapshotOf(this.prisma, jobId, seq),
      statusOfRun: (runId) => this.statusOfRun(runId),
      statusesOf: () => this.statusesOf(versionId),
      logger: this.logger,
    });
    return follower.start();
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
    state: runState(run.job?.status),
    error: run.job?.errorMessage ?? null,
    qualityThreshold: run.qualityThreshold,
  };
}

/** A run's state is its job's: a cancelled job counts as FAILED; a run without a job as FAILED too. */
function runState(status: string | undefined): EmbeddingRunState {
  if (status === "QUEUED" || status === "RUNNING" || status === "SUCCEEDED")
    return status as EmbeddingRunState;
  return EmbeddingRunState.FAILED;
}
