import { randomInt } from "node:crypto";
import type { PrismaClient, LabelingBatch as BatchRow } from "../../generated/prisma/client";
import { badInput, notFound } from "../../errors";
import { connection, pageWindow } from "../../graphql/connection";
import { isUuid } from "../../graphql/ids";
import { checkRange, limits } from "../../limits";
import { assertCanSee, requireViewer, type Viewer } from "../../users/access";
import type { DatasetVersion } from "../../datasets/datasets.types";
import type { BlobStore } from "../../storage/blob-store";
import { loadPool, type Pool } from "./labeling-pool";
import { type LabelingBatch, type LabelingBatchInput, type LabelInput } from "./labeling.types";
import type { PoolEmbeddings, PoolVectors } from "./pool-embeddings";
import type { PoolScorer } from "./pool-scoring";
import type { Pick } from "./selection/select-batch";
import { selectBatchInWorker } from "./selection/select-in-worker";
import type { SubmitLabels } from "./submit-labels";

/** A pool item ready for selection: what it is, and the model's probabilities for it. */
interface ScoredItem {
  sampleId: string | null;
  predictionId: string;
  sha256: string;
  scores: number[];
}

/**
 * Labelling batches: a pool scored by a model version, a selection by uncertainty and diversity
 * (selection/), and the labels a person gives back (SubmitLabels). A batch is its owner's: anyone
 * else gets NOT_FOUND (admins see all, as everywhere).
 */
export class LabelingService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly blobs: BlobStore,
    private readonly scorer: PoolScorer,
    private readonly embeddings: PoolEmbeddings,
    private readonly submitter: SubmitLabels,
  ) {}

  async create(
    viewer: Viewer | null,
    input: LabelingBatchInput,
    signal?: AbortSignal,
  ): Promise<LabelingBatch> {
    const user = requireViewer(viewer);
    const size = checkRange("size", input.size, 1, limits.labeling.batchSize);
    const randomShare = input.randomShare ?? 0;
    if (!(randomShare >= 0 && randomShare <= 1)) {
      throw badInput(`randomShare must be between 0 and 1, got ${randomShare}`, { field: "randomShare" });
    }
    const seed = input.seed ?? randomInt(2 ** 31);
    const model = await this.scoringModel(user, input.modelVersionId);
    const pool = await loadPool(
      this.prisma,
      this.blobs,
      user,
      model,
      input.pool,
      input.targetDatasetId ?? null,
    );
    const poolSize = pool.kind === "dataset" ? pool.samples.length : pool.predictions.length;
    if (size > poolSize) {
      throw badInput(`size ${size} is larger than the pool, which has ${poolSize} items`, {
        field: "size",
        poolSize,
      });
    }
    const items = await this.score(user, model.id, pool, signal);
    if (size > items.length) {
      throw badInput(
        `size ${size} is larger than the ${items.length} pool items the model could score (the tier refused the others' images)`,
        { field: "size", poolSize: items.length },
      );
    }
    const classes = Math.max(...items.map((item) => item.scores.length));
    const probabilities = new Float64Array(items.length * classes);
    items.forEach((item, row) => probabilities.set(item.scores, row * classes));
    const vectors =
      input.diversity === "NONE" ? null : await this.vectorsOf(user, model.id, pool, items, seed);
    const picks = await selectBatchInWorker(
      {
        probabilities,
        classes,
        strategy: input.strategy,
        diversity: input.diversity,
        size,
        randomShare,
        seed,
        embeddings: vectors?.embeddings,
        labelled: input.diversity === "KCENTER" ? vectors?.covered : undefined,
      },
      signal,
    );
    const row = await this.store(user, input, pool, { seed, randomShare, size }, items, picks);
    return toLabelingBatch(row);
  }

  async find(viewer: Viewer | null, id: string): Promise<LabelingBatch | null> {
    const user = requireViewer(viewer);
    const row = isUuid(id) ? await this.prisma.labelingBatch.findUnique({ where: { id } }) : null;
    if (!row || (user.role !== "ADMIN" && row.ownerId !== user.id)) return null;
    return toLabelingBatch(row);
  }

  /** The viewer's own batches, newest first. */
  async list(viewer: Viewer | null, first: number | undefined, after: string | null | undefined) {
    const user = requireViewer(viewer);
    const { offset, limit } = pageWindow(first, after);
    const where = { ownerId: user.id };
    const [rows, total] = await Promise.all([
      this.prisma.labelingBatch.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: offset,
        take: limit,
      }),
      this.prisma.labelingBatch.count({ where }),
    ]);
    return connection(rows.map(toLabelingBatch), offset, total);
  }

  async submit(
    viewer: Viewer | null,
    batchId: string,
    labels: readonly LabelInput[],
  ): Promise<DatasetVersion> {
    const user = requireViewer(viewer);
    const batch = await this.find(user, batchId);
    if (!batch) throw notFound(`Labelling batch ${batchId}`);
    return this.submitter.submit(user, batch, labels);
  }

  private async scoringModel(viewer: Viewer, versionId: string) {
    const row = isUuid(versionId)
      ? await this.prisma.modelVersion.findUnique({
          where: { id: versionId },
          select: {
            id: true,
            labels: true,
            trainedOnId: true,
            model: { select: { ownerId: true, isPublic: true } },
          },
        })
      : null;
    const version = assertCanSee(viewer, row, `Model version ${versionId}`, (v) => v.model);
    if (version.labels.length === 0) {
      throw badInput(
        `Model version ${versionId} has no labels; labelling batches need a classifier whose labels name its outputs`,
        { field: "modelVersionId" },
      );
    }
    return version;
  }

  private async score(viewer: Viewer, modelVersionId: string, pool: Pool, signal?: AbortSignal) {
    if (pool.kind === "predictions") {
      return pool.predictions.map((p): ScoredItem => ({ sampleId: null, ...p }));
    }
    const scored = await this.scorer.scoreSamples(viewer, modelVersionId, pool.samples, signal);
    return scored.map((s): ScoredItem => ({ ...s }));
  }

  private vectorsOf(
    viewer: Viewer,
    modelVersionId: string,
    pool: Pool,
    items: readonly ScoredItem[],
    seed: number,
  ): Promise<PoolVectors> {
    if (pool.kind === "dataset") {
      const samples = items.map((item) => ({ sampleId: item.sampleId!, sha256: item.sha256 }));
      return this.embeddings.forSamples(
        viewer,
        modelVersionId,
        pool.target.datasetId,
        samples,
        pool.target.versionId,
        seed,
      );
    }
    const logged = new Map(pool.predictions.map((p) => [p.predictionId, p]));
    return this.embeddings.forPredictions(
      viewer,
      items.map((item) => logged.get(item.predictionId)!),
      pool.target.versionId,
      seed,
    );
  }

  private store(
    viewer: Viewer,
    input: LabelingBatchInput,
    pool: Pool,
    settings: { seed: number; randomShare: number; size: number },
    items: readonly ScoredItem[],
    picks: readonly Pick[],
  ): Promise<BatchRow> {
    return this.prisma.$transaction(async (tx) => {
      const batch = await tx.labelingBatch.create({
        data: {
          ownerId: viewer.id,
          modelVersionId: input.modelVersionId,
          datasetVersionId: pool.target.versionId,
          predictionsOfId: pool.kind === "predictions" ? input.modelVersionId : null,
          strategy: input.strategy,
          diversity: input.diversity,
          ...settings,
        },
      });
      await tx.labelingItem.createMany({
        data: picks.map((pick, position) => ({
          batchId: batch.id,
          position,
          sampleId: items[pick.index]!.sampleId,
          predictionId: items[pick.index]!.predictionId,
          uncertainty: pick.uncertainty,
          random: pick.random,
        })),
      });
      return batch;
    });
  }
}

export function toLabelingBatch(row: BatchRow): LabelingBatch {
  return {
    id: row.id,
    ownerId: row.ownerId,
    modelVersionId: row.modelVersionId,
    datasetVersionId: row.datasetVersionId,
    predictionsOfId: row.predictionsOfId,
    resultVersionId: row.resultVersionId,
    strategy: row.strategy as LabelingBatch["strategy"],
    diversity: row.diversity as LabelingBatch["diversity"],
    size: row.size,
    randomShare: row.randomShare,
    seed: row.seed,
    createdAt: row.createdAt,
    submittedAt: row.submittedAt,
  };
}
