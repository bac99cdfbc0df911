import type { Hyperparameters__Output } from "@tessera/proto/generated/tessera/training/v1/Hyperparameters";
import type { Split__Output } from "@tessera/proto/generated/tessera/training/v1/Split";

/**
 * The seams between the tier's training pieces: the head trainer (head/), the base models that
 * give features (base/), the exporter (export/) and the gRPC service that joins them.
 */

export type Hyperparameters = Hyperparameters__Output;
export type SplitName = Split__Output;

/** One dense layer: `weights` is outputs × inputs, row-major (Gemm with transB = 1). */
export interface DenseLayer {
  inputs: number;
  outputs: number;
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * A trained head as it is exported: features are standardised ((x - inputMean) * inputScale,
 * element-wise) and go through `layers`, ReLU between layers, softmax after the last one.
 * The exporter folds the standardisation into the first layer.
 */
export interface HeadWeights {
  inputMean: Float32Array;
  inputScale: Float32Array;
  layers: DenseLayer[];
}

/** Features of one split: one vector per sample, its label index beside it. */
export interface LabelledFeatures {
  features: Float32Array[];
  labels: Uint32Array;
}

/** Training samples: variant 0 is the image as it is, variants 1… its augmented copies. */
export interface TrainingFeatures {
  variants: Float32Array[][];
  labels: Uint32Array;
}

export interface TrainHeadOptions {
  classes: number;
  labels: readonly string[];
  hyperparameters: Hyperparameters;
  train: TrainingFeatures;
  validation: LabelledFeatures;
  test: LabelledFeatures | null;
  /** A checkpoint's state sent earlier: continue after its epoch. */
  checkpoint: Uint8Array | null;
  signal: AbortSignal;
}

export interface ClassEvaluation {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface SplitEvaluation {
  split: SplitName;
  count: number;
  accuracy: number;
  loss: number;
  perClass: ClassEvaluation[];
  /** classes × classes, row-major: row = true class, column = predicted class. */
  confusionMatrix: number[];
  calibrationError: number;
}

/** The samples whose confidence lies in (lower, upper]; meanConfidence and accuracy 0 when empty. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/**
 * A final evaluation (the result's): the split's summary plus, per sample in the split's order,
 * the predicted label index and its probability, and the bins calibrationError is measured over.
 */
export interface FinalSplitEvaluation extends SplitEvaluation {
  predicted: Uint32Array;
  confidence: Float32Array;
  reliability: ReliabilityBin[];
}

export type TrainerEvent =
  | { kind: "progress"; epoch: number; totalEpochs: number; step: number; totalSteps: number }
  | { kind: "metrics"; epoch: number; values: Record<string, number> }
  | { kind: "checkpoint"; epoch: number; state: Uint8Array }
  | {
      kind: "result";
      evaluations: FinalSplitEvaluation[];
      epochsRun: number;
      bestEpoch: number;
      stoppedEarly: boolean;
      objective: number;
      checkpoint: Uint8Array;
    };

/** Thrown by the trainer when the loss stops being a finite number; the run cannot succeed. */
export class TrainingDivergedError extends Error {
  override name = "TrainingDivergedError";
}

/** Thrown for a checkpoint that is not one this trainer wrote, or one of another head shape. */
export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/**
 * A frozen base that turns encoded images into feature vectors: the built-in feature embedder or
 * an ONNX backbone loaded in the tier's repository.
 */
export interface FeatureBase {
  /** Names the base and its feature output, for the feature cache: same key, same features. */
  readonly key: string;
  readonly dimension: number;
  /** One feature vector per image, in order. */
  extract(images: readonly Uint8Array[], signal: AbortSignal): Promise<Float32Array[]>;
}
