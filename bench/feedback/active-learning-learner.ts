import type { TrainingOptions } from "../../gateway/src/training/training-contracts";
import { trainingDefaults } from "../../gateway/src/training/training-defaults";
import { toHyperparameters } from "../../gateway/src/training/worker/hyperparameters";
import type { HeadWeights, Hyperparameters } from "../../inference/src/training/contracts";
import { headFromCheckpoint, predictProbabilities, trainHead } from "../../inference/src/training/head";
import type { LabelledSet } from "./active-learning-data";

/**
 * Softmax regression as the product trains it: the tier's own head trainer with no hidden layer
 * (standardised inputs, one dense layer, softmax, Adam), seeded, no validation split (the labels
 * are too few to spare), the lowest training loss's weights kept.
 */
export async function fitSoftmaxRegression(
  train: LabelledSet,
  classes: number,
  seed: number,
  epochs: number,
): Promise<HeadWeights> {
  const labels = Array.from({ length: classes }, (_, c) => `class-${c}`);
  const options: TrainingOptions = {
    ...trainingDefaults,
    trainableLayersCount: 0,
    epochs,
    batchSize: 16,
    learningRate: 0.05,
    weightDecay: 1e-4,
    earlyStopping: false,
    schedule: "CONSTANT",
    seed,
    classWeights: {},
    featureOutput: null,
    hpSpace: [],
  } as TrainingOptions;
  const hyperparameters = toHyperparameters(options, labels, []) as Hyperparameters;
  let checkpoint: Uint8Array | null = null;
  for await (const event of trainHead({
    classes,
    labels,
    hyperparameters,
    train: { variants: train.features.map((vector) => [vector]), labels: train.labels },
    validation: { features: [], labels: new Uint32Array(0) },
    test: null,
    checkpoint: null,
    signal: new AbortController().signal,
  })) {
    if (event.kind === "result") checkpoint = event.checkpoint;
  }
  if (!checkpoint) throw new Error("trainHead ended without a result");
  return headFromCheckpoint(checkpoint);
}

/** n × classes probabilities, row-major, as the selection code takes them. */
export function probabilityMatrix(head: HeadWeights, features: readonly Float32Array[]): Float64Array {
  const rows = predictProbabilities(head, features);
  const classes = rows[0]?.length ?? 0;
  const matrix = new Float64Array(rows.length * classes);
  rows.forEach((row, i) => matrix.set(row, i * classes));
  return matrix;
}

export function accuracy(head: HeadWeights, set: LabelledSet): number {
  const rows = predictProbabilities(head, set.features);
  let correct = 0;
  rows.forEach((row, i) => {
    let best = 0;
    for (let c = 1; c < row.length; c++) if (row[c]! > row[best]!) best = c;
    if (best === set.labels[i]) correct++;
  });
  return correct / rows.length;
}
