import { registerEnumType } from "type-graphql";

/** Values are the stored ones (TrainingOptions); GraphQL shows the keys. */

export enum TrainingStatus {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(TrainingStatus, {
  name: "TrainingStatus",
  description: "QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED",
});

export enum TrialStatus {
  PENDING = "PENDING",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  PRUNED = "PRUNED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(TrialStatus, {
  name: "TrialStatus",
  description: "PRUNED: stopped early because it did worse than earlier trials at the same epoch",
});

export enum TrainingPhase {
  QUEUED = "QUEUED",
  FEATURES = "FEATURES",
  TRAINING = "TRAINING",
  EXPORTING = "EXPORTING",
}
registerEnumType(TrainingPhase, {
  name: "TrainingPhase",
  description:
    "FEATURES: extracting features from the base model; EXPORTING: building and registering the ONNX model",
});

export enum Optimizer {
  SGD = "SGD",
  ADAM = "ADAM",
}
registerEnumType(Optimizer, { name: "Optimizer" });

export enum LearningRateSchedule {
  CONSTANT = "CONSTANT",
  STEP = "STEP",
  COSINE = "COSINE",
  ON_PLATEAU = "ON_PLATEAU",
}
registerEnumType(LearningRateSchedule, {
  name: "LearningRateSchedule",
  description:
    "STEP: × lrGamma every lrStepSize epochs; COSINE: decays to 0 over the epochs; ON_PLATEAU: × lrPlateauFactor after lrPlateauPatience epochs without improvement of `monitor`",
});

export enum MonitoredMetric {
  VAL_LOSS = "val_loss",
  VAL_ACCURACY = "val_accuracy",
  LOSS = "loss",
  ACCURACY = "accuracy",
}
registerEnumType(MonitoredMetric, {
  name: "MonitoredMetric",
  description:
    "What early stopping, ON_PLATEAU and the choice of the best epoch and trial watch; losses are minimised, accuracies maximised",
});

export enum SearchStrategy {
  GRID = "GRID",
  RANDOM = "RANDOM",
  BAYESIAN = "BAYESIAN",
}
registerEnumType(SearchStrategy, {
  name: "SearchStrategy",
  description: "GRID enumerates the space, RANDOM samples it (seeded), BAYESIAN uses TPE",
});

export enum ClassWeighting {
  NONE = "NONE",
  BALANCED = "BALANCED",
}
registerEnumType(ClassWeighting, {
  name: "ClassWeighting",
  description:
    "BALANCED weighs each class by samples / (classes × class samples), so rare classes count as much",
});
