import { randomUUID } from "node:crypto";
import { buffer } from "node:stream/consumers";
import { loadTasks } from "@tessera/proto/tasks";
import type { PrismaClient } from "../../generated/prisma/client";
import { AppError, badInput, ErrorCode } from "../../errors";
import type { DeploymentsService } from "../../inference/deployments.service";
import { InferenceTask } from "../../inference/deployments.types";
import { limits } from "../../limits";
import type { BlobStore } from "../../storage/blob-store";
import type { TierClient } from "../../tier/tier-client";
import type { Viewer } from "../../users/access";
import { outputOrder } from "../predictions/prediction-log";
import { insertPredictionRows } from "../predictions/prediction-rows";
import { PredictionSource } from "../predictions/predictions.types";

/** A dataset pool sample to score. */
export interface PoolSample {
  sampleId: string;
  sha256: string;
}

/** Its LABELING prediction: the whole probability vector in the model's output order. */
export interface ScoredSample extends PoolSample {
  predictionId: string;
  labels: string[];
  scores: number[];
}

interface ClassifyRequest {
  model_name: string;
  model_version: string;
  image: Buffer;
  top_k: number;
}

/** Classify calls in flight at once: the tier batches concurrent requests per model. */
const CONCURRENCY = 16;

/**
 * Scores dataset pool samples with a model version through the tier's Classify (every class's
 * score), logging each answer as a LABELING prediction of the sample, the requester's. A sample the
 * version scored for an earlier batch of the same requester reuses that prediction instead of
 * calling the tier again (another user's is theirs: not shown to this one, nor labelled through). A sample the tier
 * refuses as an image (BAD_USER_INPUT) is left out of the result, so one broken image does not
 * block the batch; any other tier error fails the call.
 */
export class PoolScorer {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly tier: TierClient,
    private readonly deployments: DeploymentsService,
  ) {}

  async scoreSamples(
    viewer: Viewer,
    modelVersionId: string,
    samples: readonly PoolSample[],
    signal?: AbortSignal,
  ): Promise<ScoredSample[]> {
    const known = await this.earlierScores(viewer, modelVersionId, samples);
    const missing = samples.filter((sample) => !known.has(sample.sampleId));
    if (missing.length > 0) {
      const scored = await this.classify(viewer, modelVersionId, missing, signal);
      await this.record(viewer, modelVersionId, scored);
      for (const sample of scored) known.set(sample.sampleId, sample);
    }
    return samples.flatMap((sample) => {
      const scored = known.get(sample.sampleId);
      return scored ? [scored] : [];
    });
  }

  private async earlierScores(viewer: Viewer, modelVersionId: string, samples: readonly PoolSample[]) {
    const rows = await this.prisma.$queryRaw<
      Array<{ id: string; sampleId: string; labels: string[]; scores: number[] }>
    >`
      SELECT DISTINCT ON (p."sampleId") p.id::text AS id, p."sampleId"::text AS "sampleId", p.labels, p.scores
      FROM "Prediction" p
      WHERE p."modelVersionId" = ${modelVersionId}::uuid AND p.source = 'LABELING'
        AND p."requestedById" = ${viewer.id}::uuid
        AND p."sampleId" = ANY(${samples.map((sample) => sample.sampleId)}::uuid[])
      ORDER BY p."sampleId", p."createdAt" DESC`;
    const sha = new Map(samples.map((sample) => [sample.sampleId, sample.sha256]));
    return new Map<string, ScoredSample>(
      rows.map((row) => [
        row.sampleId,
        {
          sampleId: row.sampleId,
          sha256: sha.get(row.sampleId)!,
          predictionId: row.id,
          labels: row.labels,
          scores: row.scores.map(Number),
        },
      ]),
    );
  }

  private async classify(
    viewer: Viewer,
    modelVersionId: string,
    samples: readonly PoolSample[],
    signal?: AbortSignal,
  ): Promise<Array<ScoredSample & { latencyMs: number }>> {
    const target = await this.deployments.servingTarget(viewer, modelVersionId, signal);
    if (target.config.task !== InferenceTask.CLASSIFICATION) {
      throw badInput(
        `Model version ${modelVersionId} is deployed for ${target.config.task}; labelling batches need a CLASSIFICATION model's probabilities`,
        { field: "modelVersionId" },
      );
    }
    const results: Array<(ScoredSample & { latencyMs: number }) | null> = new Array(samples.length).fill(
      null,
    );
    let next = 0;
    let reloaded: Promise<unknown> | null = null;
    // A tier that answers NOT_FOUND lost its models (it restarted): load them again once, retry.
    const reload = () =>
      (reloaded ??= Promise.all(
        this.tier.addresses().map((address) => this.deployments.reloadTier(address)),
      ));
    const work = async () => {
      while (next < samples.length) {
        const index = next++;
        const sample = samples[index]!;
        signal?.throwIfAborted();
        const image = await buffer(await this.store.openRead(sample.sha256));
        const request = {
          model_name: target.tierModelName,
          model_version: target.tierModelVersion,
          image,
          top_k: limits.inference.topK,
        };
        try {
          const response = await this.classifyOnce(request, reload, signal);
          const { labels, scores } = outputOrder(response.predictions);
          results[index] = {
            ...sample,
            predictionId: randomUUID(),
            labels,
            scores,
            latencyMs: response.latency_ms,
          };
        } catch (error) {
          if (!(error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, samples.length) }, work));
    return results.filter((result) => result !== null);
  }

  private async classifyOnce(request: ClassifyRequest, reload: () => Promise<unknown>, signal?: AbortSignal) {
    const classify = loadTasks().TaskService.service.Classify;
    try {
      return await this.tier.unary(classify, request, { signal });
    } catch (error) {
      if (!(error instanceof AppError && error.code === ErrorCode.NOT_FOUND)) throw error;
      await reload();
      return this.tier.unary(classify, request, { signal });
    }
  }

  /** The sample's image is its Blob already: the prediction references it, nothing is copied. */
  private async record(
    viewer: Viewer,
    modelVersionId: string,
    scored: ReadonlyArray<ScoredSample & { latencyMs: number }>,
  ): Promise<void> {
    if (scored.length === 0) return;
    await insertPredictionRows(
      this.prisma,
      scored.map((sample) => ({
        id: sample.predictionId,
        modelVersionId,
        source: PredictionSource.LABELING,
        requestedById: viewer.id,
        sampleId: sample.sampleId,
        imageSha256: sample.sha256,
        labels: sample.labels,
        scores: sample.scores,
        latencyMs: sample.latencyMs,
        expiresAt: null,
      })),
    );
  }
}
