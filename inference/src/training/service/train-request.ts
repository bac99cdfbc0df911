import type { BaseModel__Output } from "@tessera/proto/generated/tessera/training/v1/BaseModel";
import type { TrainRequest__Output } from "@tessera/proto/generated/tessera/training/v1/TrainRequest";
import { limits } from "../../limits";
import { invalidArgument } from "../../runtime/errors";
import type { Hyperparameters } from "../contracts";
import { resolveHeadSettings } from "../head/head-settings";
import { checkSha256 } from "./image-cache";

export interface LabelledImage {
  sha256: string;
  label: number;
}

/** A TrainRequest that passed every check, its samples sorted by split. */
export interface TrainingPlan {
  jobId: string;
  trial: number;
  base: BaseModel__Output;
  labels: string[];
  train: LabelledImage[];
  validation: LabelledImage[];
  test: LabelledImage[];
  hyperparameters: Hyperparameters;
  checkpoint: Uint8Array | null;
}

/**
 * Checks everything about a TrainRequest that can be checked before any image is read, so a run
 * that can never succeed fails at once with INVALID_ARGUMENT naming the field at fault.
 */
export function checkTrainRequest(request: TrainRequest__Output): TrainingPlan {
  const { labels, hyperparameters } = request;
  if (labels.length < 2 || labels.length > limits.labels) {
    throw invalidArgument(`A classifier needs 2 to ${limits.labels} labels; got ${labels.length}`);
  }
  const seen = new Set<string>();
  labels.forEach((label, index) => {
    if (label.length > limits.labelLength) {
      throw invalidArgument(
        `labels[${index}] must be at most ${limits.labelLength} characters long, got ${label.length}`,
      );
    }
    if (seen.has(label)) throw invalidArgument(`labels[${index}] "${label}" appears more than once`);
    seen.add(label);
  });
  if (!hyperparameters) throw invalidArgument("hyperparameters are required");

  const plan: TrainingPlan = {
    jobId: request.job_id,
    trial: request.trial,
    base: request.base ?? { model_name: "", model_version: "", feature_output: "" },
    labels,
    train: [],
    validation: [],
    test: [],
    hyperparameters,
    checkpoint: request.checkpoint.byteLength > 0 ? request.checkpoint : null,
  };
  const splits = { TRAIN: plan.train, VALIDATION: plan.validation, TEST: plan.test };
  request.samples.forEach((sample, index) => {
    checkSha256(sample.sha256, `samples[${index}].sha256`);
    if (sample.label >= labels.length) {
      throw invalidArgument(
        `samples[${index}].label is ${sample.label}, but there are ${labels.length} labels (0…${labels.length - 1})`,
      );
    }
    const split = splits[sample.split as keyof typeof splits] as LabelledImage[] | undefined;
    if (!split) {
      throw invalidArgument(`samples[${index}].split must be TRAIN, VALIDATION or TEST; got ${sample.split}`);
    }
    split.push({ sha256: sample.sha256, label: sample.label });
  });
  if (plan.train.length === 0) throw invalidArgument("No TRAIN samples: the head has nothing to learn from");
  if (plan.validation.length === 0) {
    throw invalidArgument("No VALIDATION samples: the run needs some to measure and pick its best epoch");
  }

  const copies = hyperparameters.augmented_copies;
  if (copies > limits.training.augmentedCopies) {
    throw invalidArgument(
      `augmented_copies must be between 0 and ${limits.training.augmentedCopies}, got ${copies}`,
    );
  }
  // The trainer's own checks, run now rather than after minutes of feature extraction.
  resolveHeadSettings(hyperparameters, labels.length, true);
  return plan;
}

/** Every image the plan reads, each once. */
export function imagesOf(plan: TrainingPlan): string[] {
  return [...new Set([...plan.train, ...plan.validation, ...plan.test].map((sample) => sample.sha256))];
}
