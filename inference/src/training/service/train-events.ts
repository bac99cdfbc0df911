import type { Evaluation } from "@tessera/proto/generated/tessera/training/v1/Evaluation";
import type { TrainEvent } from "@tessera/proto/generated/tessera/training/v1/TrainEvent";
import type { FinalSplitEvaluation, TrainerEvent } from "../contracts";
import type { ExtractionProgress } from "./feature-extraction";

export function featuresEvent(progress: ExtractionProgress): TrainEvent {
  return { features: progress };
}

/** The trainer's event as the Train stream sends it. */
export function toTrainEvent(event: TrainerEvent): TrainEvent {
  switch (event.kind) {
    case "progress":
      return {
        progress: {
          epoch: event.epoch,
          total_epochs: event.totalEpochs,
          step: event.step,
          total_steps: event.totalSteps,
        },
      };
    case "metrics":
      return { metrics: { epoch: event.epoch, values: event.values } };
    case "checkpoint":
      return { checkpoint: { epoch: event.epoch, state: event.state } };
    case "result":
      return {
        result: {
          evaluations: event.evaluations.map(toEvaluation),
          epochs_run: event.epochsRun,
          best_epoch: event.bestEpoch,
          stopped_early: event.stoppedEarly,
          objective: event.objective,
          checkpoint: event.checkpoint,
        },
      };
  }
}

function toEvaluation(evaluation: FinalSplitEvaluation): Evaluation {
  return {
    split: evaluation.split,
    count: evaluation.count,
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
    per_class: evaluation.perClass.map((metrics) => ({
      label: metrics.label,
      precision: metrics.precision,
      recall: metrics.recall,
      f1: metrics.f1,
      support: metrics.support,
    })),
    confusion_matrix: evaluation.confusionMatrix,
    calibration_error: evaluation.calibrationError,
    predicted: [...evaluation.predicted],
    confidence: [...evaluation.confidence],
    reliability: evaluation.reliability.map((bin) => ({
      lower: bin.lower,
      upper: bin.upper,
      count: bin.count,
      mean_confidence: bin.meanConfidence,
      accuracy: bin.accuracy,
    })),
  };
}
