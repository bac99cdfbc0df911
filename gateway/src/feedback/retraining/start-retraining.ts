import type pg from "pg";
import type { GatewayConfig } from "../../config";
import type { PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import { TierEmbedder } from "../../datasets/embeddings/tier-embedder";
import type { DeploymentsService } from "../../inference/deployments.service";
import type { JobRunner } from "../../jobs/job-runner";
import type { JobsService } from "../../jobs/jobs.service";
import type { Logger } from "../../logger";
import type { BlobStore } from "../../storage/blob-store";
import type { TierClient } from "../../tier/tier-client";
import { TrainingService } from "../../training/training.service";
import { PolicyEvaluator } from "./policy-evaluator";
import { retrainJobHandler } from "./retrain-job";
import { retrainJobKind, settleRun } from "./retrain-job-kind";
import { RetrainingPoliciesService } from "./retraining-policies.service";
import { RetrainingScheduler } from "./retraining-scheduler";

export interface RetrainingParts {
  config: GatewayConfig;
  prisma: PrismaClient;
  /** The workers' own pool (see core.ts): runs write progress and rows through it. */
  workerPrisma: PrismaClient;
  pool: pg.Pool;
  store: BlobStore;
  references: BlobReferences;
  tier: TierClient;
  deployments: DeploymentsService;
  jobs: JobsService;
  logger: Logger;
}

/**
 * Retraining's parts in one place: the policies service the API uses, the evaluator it and the
 * scheduler share, and `work`, which starts this process's retrain-model runs and its scheduler.
 */
export function createRetraining(parts: RetrainingParts) {
  const { config, prisma, jobs, logger } = parts;
  const embedder = new TierEmbedder(parts.tier, parts.deployments);
  const evaluator = new PolicyEvaluator(
    prisma,
    jobs,
    { prisma, pool: parts.pool, store: parts.store, embedder },
    logger.child({ component: "retraining" }),
  );
  const policies = new RetrainingPoliciesService(prisma, config.trainingLimits, evaluator);
  const scheduler = new RetrainingScheduler(
    prisma,
    evaluator,
    config.retraining.intervalSeconds * 1000,
    logger.child({ component: "retraining-scheduler" }),
  );
  // A queued run cancelled through the API stops its (not yet started) training with it.
  jobs.finishHooks.set(retrainJobKind.name, settleRun);

  /** Works runs here and evaluates policies on the schedule; returns the scheduler's stop. */
  const work = async (runner: JobRunner): Promise<() => Promise<void>> => {
    const handler = retrainJobHandler({
      prisma: parts.workerPrisma,
      store: parts.store,
      references: parts.references,
      tier: parts.tier,
      deployments: parts.deployments,
      deploymentLimits: config.deploymentLimits,
      training: new TrainingService(parts.workerPrisma, jobs, config.trainingLimits),
    });
    await runner.work(retrainJobKind, handler, {
      concurrency: config.retraining.workers,
      onFinished: settleRun,
    });
    scheduler.start();
    return () => scheduler.stop();
  };

  return { policies, evaluator, scheduler, work };
}

export type Retraining = ReturnType<typeof createRetraining>;
