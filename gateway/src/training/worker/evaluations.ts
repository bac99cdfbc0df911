import type { Evaluation__Output } from "@tessera/proto/generated/tessera/training/v1/Evaluation";
import type { TrainingResult__Output } from "@tessera/proto/generated/tessera/training/v1/TrainingResult";
import type { StoredEvaluation, StoredJobEvaluation } from "../training-rows";
import { reliabilityOf, sampleResultsOf } from "./sample-results";
import type { TrainingSample } from "./training-samples";

/**
 * A trial's evaluation as its row stores it: the validation evaluation (what the API shows for a
 * trial), with the test evaluation beside it so the job's evaluation can be built from the best
 * trial's row after a restart.
 */
export type StoredTrialEvaluation = StoredEvaluation & { test: StoredEvaluation | null };

/** `samples` are the job's: what per-sample results are joined with. */
export function toStoredEvaluation(
  evaluation: Evaluation__Output,
  samples: readonly TrainingSample[] = [],
): StoredEvaluation {
  const reliability = reliabilityOf(evaluation);
  const results = sampleResultsOf(evaluation, samples);
  return {
    split: evaluation.split.toLowerCase(),
    count: evaluation.count,
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
    perClass: evaluation.per_class.map((metrics) => ({
      label: metrics.label,
      precision: metrics.precision,
      recall: metrics.recall,
      f1: metrics.f1,
      support: metrics.support,
    })),
    confusionMatrix: [...evaluation.confusion_matrix],
    calibrationError: evaluation.calibration_error,
    ...(reliability ? { reliability } : {}),
    ...(results ? { samples: results } : {}),
  };
}

/** The result's evaluations as a trial row keeps them; null when the tier sent no validation one. */
export function trialEvaluation(
  result: TrainingResult__Output,
  samples: readonly TrainingSample[] = [],
): StoredTrialEvaluation | null {
  const of = (split: string) => result.evaluations.find((evaluation) => evaluation.split === split);
  const validation = of("VALIDATION");
  const test = of("TEST");
  if (!validation) return null;
  return {
    ...toStoredEvaluation(validation, samples),
    test: test ? toStoredEvaluation(test, samples) : null,
  };
}

/** TrainingJob.evaluation from the exported trial's row. */
export function jobEvaluation(stored: StoredTrialEvaluation | null): StoredJobEvaluation {
  if (!stored) return { validation: null, test: null };
  const { test, ...validation } = stored;
  return { validation, test };
}

/** The job's evaluation without per-sample results: what the job's result and its final event carry. */
export function evaluationSummary(evaluation: StoredJobEvaluation): StoredJobEvaluation {
  const summary = (split: StoredEvaluation | null) => {
    if (!split) return null;
    const { samples: _samples, ...rest } = split;
    return rest;
  };
  return { validation: summary(evaluation.validation), test: summary(evaluation.test) };
}
