import type { TrainEvent } from "@tessera/proto/generated/tessera/training/v1/TrainEvent";
import type { TrainRequest__Output } from "@tessera/proto/generated/tessera/training/v1/TrainRequest";
import { invalidArgument } from "../../runtime/errors";
import { resolveFeatureBase } from "../base/feature-base";
import {
  CheckpointError,
  TrainingDivergedError,
  type LabelledFeatures,
  type TrainHeadOptions,
  type TrainingFeatures,
} from "../contracts";
import { trainHead } from "../head";
import {
  extractFeatures,
  featureId,
  type ExtractedFeatures,
  type FeatureRequest,
} from "./feature-extraction";
import { notStaged } from "./image-cache";
import { featuresEvent, toTrainEvent } from "./train-events";
import { checkTrainRequest, imagesOf, type LabelledImage, type TrainingPlan } from "./train-request";
import type { TrainingContext } from "./training-context";

/** What a finished run reports for the log. */
export interface TrainingSummary {
  epochsRun: number;
  bestEpoch: number;
  objective: number;
}

/**
 * One Train call: checks the request, makes sure every image is staged, extracts the features
 * (from the cache where it can) and trains the head, handing each event to `send` as it happens.
 * Aborting `signal` stops the work within one mini-batch.
 */
export async function train(
  context: TrainingContext,
  request: TrainRequest__Output,
  signal: AbortSignal,
  send: (event: TrainEvent) => Promise<void>,
): Promise<TrainingSummary> {
  const plan = checkTrainRequest(request);
  const images = imagesOf(plan);
  const missing = context.images.missing(images);
  if (missing.length > 0) throw notStaged(missing);
  const release = context.images.pin(images);
  try {
    const base = await resolveFeatureBase(context.tasks, plan.base, signal);
    const features = await extractFeatures(featureRequests(plan), {
      base,
      images: context.images,
      cache: context.features,
      seed: plan.hyperparameters.seed,
      batchSize: context.featureBatchSize,
      signal,
      onProgress: (progress) => send(featuresEvent(progress)),
    });
    let summary: TrainingSummary | null = null;
    for await (const event of trainHead(headOptions(plan, features, signal))) {
      if (event.kind === "result") {
        summary = { epochsRun: event.epochsRun, bestEpoch: event.bestEpoch, objective: event.objective };
      }
      await send(toTrainEvent(event));
    }
    if (!summary) throw new Error("the head trainer ended without a result");
    return summary;
  } catch (error) {
    // Neither can succeed on a retry with the same request, hence INVALID_ARGUMENT.
    if (error instanceof TrainingDivergedError || error instanceof CheckpointError) {
      throw invalidArgument(error.message);
    }
    throw error;
  } finally {
    release();
  }
}

/** Every image as it is, and for training samples also its augmented copies 1…n. */
function featureRequests(plan: TrainingPlan): FeatureRequest[] {
  const copies = plan.hyperparameters.augmented_copies;
  const requests: FeatureRequest[] = [];
  for (const sample of plan.train) {
    for (let variant = 0; variant <= copies; variant++) requests.push({ sha256: sample.sha256, variant });
  }
  for (const sample of [...plan.validation, ...plan.test])
    requests.push({ sha256: sample.sha256, variant: 0 });
  return requests;
}

function headOptions(plan: TrainingPlan, features: ExtractedFeatures, signal: AbortSignal): TrainHeadOptions {
  const vector = (sha256: string, variant: number) => features.get(featureId(sha256, variant))!;
  const copies = plan.hyperparameters.augmented_copies;
  const train: TrainingFeatures = {
    variants: plan.train.map((sample) =>
      Array.from({ length: copies + 1 }, (_, variant) => vector(sample.sha256, variant)),
    ),
    labels: Uint32Array.from(plan.train, (sample) => sample.label),
  };
  const labelled = (samples: LabelledImage[]): LabelledFeatures => ({
    features: samples.map((sample) => vector(sample.sha256, 0)),
    labels: Uint32Array.from(samples, (sample) => sample.label),
  });
  return {
    classes: plan.labels.length,
    labels: plan.labels,
    hyperparameters: plan.hyperparameters,
    train,
    validation: labelled(plan.validation),
    test: plan.test.length > 0 ? labelled(plan.test) : null,
    checkpoint: plan.checkpoint,
    signal,
  };
}
