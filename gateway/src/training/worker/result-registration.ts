import { Readable } from "node:stream";
import type { Prisma } from "../../generated/prisma/client";
import { Framework, ModelType } from "../../models/models.types";
import type { UploadModelInput } from "../../models/models.inputs";
import { rankTrials } from "../search";
import type { TrialParams } from "../training-contracts";
import type { StoredJobEvaluation } from "../training-rows";
import { jobEvaluation, type StoredTrialEvaluation } from "./evaluations";
import { recordedHyperparameters, trialOptions } from "./hyperparameters";
import type { JobRun } from "./run-context";
import { trialHistory, type TrialRow } from "./trial-rows";

export interface RegisteredResult {
  versionId: string;
  evaluation: StoredJobEvaluation;
}

/**
 * Exports the best succeeded trial as one ONNX model and registers it as a new version of the
 * owner's `targetModelSlug` (a CLASSIFICATION model on ONNX, created when missing) through the
 * registry's upload path, so the file is inspected and validated like any upload; then records
 * the lineage and hyperparameters. A version this job registered before a restart is reused.
 */
export async function registerResult(run: JobRun, trials: TrialRow[]): Promise<RegisteredResult> {
  const { prisma, models } = run.deps;
  const { jobId } = run.record;
  const [best] = rankTrials(
    trials.filter((trial) => trial.status === "SUCCEEDED" && trial.checkpoint),
    run.options.monitor,
  );
  if (!best) {
    const failures = trials.map((trial) => trial.error).filter((error): error is string => Boolean(error));
    throw new Error(
      failures.length > 0
        ? `No trial succeeded; the last one failed with: ${failures.at(-1)}`
        : "No trial succeeded, so there is no model to register",
    );
  }
  const stored = best.evaluation as StoredTrialEvaluation | null;
  const options = trialOptions(run.options, best.params as TrialParams);
  const job = await prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
  let version = await prisma.modelVersion.findFirst({
    where: {
      model: { ownerId: run.owner.id, slug: run.job.targetModelSlug },
      customMetadata: { path: ["trainingJobId"], equals: jobId },
    },
  });
  if (!version) {
    await run.progress.exporting();
    const onnx = await run.tier.exportModel(
      run.address,
      {
        base: run.base,
        labels: run.labels,
        checkpoint: best.checkpoint!,
        metadata: { trainingJobId: jobId, trial: String(best.number), monitor: options.monitor },
      },
      run.signal,
    );
    const registered = await models.uploadFiles(
      run.owner,
      await uploadInput(run, best, stored),
      [
        async () => ({
          path: "model.onnx",
          contentType: "application/octet-stream",
          stream: Readable.from([onnx]),
        }),
      ],
      run.signal,
    );
    if (registered.validation === "INVALID") {
      await models.deleteVersion(run.owner, registered.id);
      throw new Error(`The exported model did not pass the registry's checks: ${registered.invalidReason}`);
    }
    version = await prisma.modelVersion.findUniqueOrThrow({ where: { id: registered.id } });
  }
  await prisma.modelVersion.update({
    where: { id: version.id },
    data: {
      trainedFromId: job.baseModelVersionId,
      trainedOnId: job.datasetVersionId,
      hyperparameters: recordedHyperparameters(options) as Prisma.InputJsonValue,
    },
  });
  return { versionId: version.id, evaluation: jobEvaluation(stored) };
}

async function uploadInput(
  run: JobRun,
  best: TrialRow,
  stored: StoredTrialEvaluation | null,
): Promise<UploadModelInput> {
  const { prisma } = run.deps;
  const slug = run.job.targetModelSlug;
  const exists = await prisma.model.findUnique({ where: { ownerId_slug: { ownerId: run.owner.id, slug } } });
  // The exported head has the best epoch's weights: its training metrics are that epoch's.
  const history = await trialHistory(prisma, run.record.jobId, best.number);
  const metrics = history.get(best.bestEpoch ?? best.epochsRun) ?? {};
  return {
    slug,
    ...(exists ? {} : { framework: Framework.ONNX, modelType: ModelType.CLASSIFICATION }),
    labels: run.labels,
    metrics: {
      trainingAccuracy: metrics.accuracy ?? null,
      validationAccuracy: stored?.accuracy ?? null,
      testAccuracy: stored?.test?.accuracy ?? null,
      trainingLoss: metrics.loss ?? null,
      extra: {
        valLoss: stored?.loss ?? null,
        calibrationError: stored?.calibrationError ?? null,
        testLoss: stored?.test?.loss ?? null,
        bestEpoch: best.bestEpoch,
        epochsRun: best.epochsRun,
        trial: best.number,
      },
    },
    customMetadata: { trainingJobId: run.record.jobId },
  } as UploadModelInput;
}
