import os from "node:os";
import type { TrainingOptions } from "../../gateway/src/training/training-contracts";
import { trainingDefaults } from "../../gateway/src/training/training-defaults";
import { toHyperparameters } from "../../gateway/src/training/worker/hyperparameters";
import { assignSplits } from "../../gateway/src/training/worker/training-samples";
import type {
  Hyperparameters,
  LabelledFeatures,
  SplitEvaluation,
} from "../../inference/src/training/contracts";
import { trainHead } from "../../inference/src/training/head";
import { FeatureEmbedder } from "../../inference/src/tasks/embedding/feature-embedder";
import { deferCleanup } from "../lib/cleanup";
import { secondsSince, timed } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { nearestCentroidAccuracy } from "./nearest-centroid";
import { generateTextureClasses } from "./texture-classes";

export interface HeadTrainingOptions {
  imagesPerClass: number;
  /** Epochs of the head; the other options are the gateway's defaults. */
  epochs: number;
}

/** Images per Embed call, as the tier's feature extraction batches them (INFERENCE_FEATURE_BATCH_SIZE). */
const FEATURE_BATCH = 32;
const SEED = 11;

/**
 * (a) validation accuracy of a head trained with the gateway's default options vs nearest
 * centroids on the same features and split; (b) samples/s of feature extraction and of head
 * training per epoch.
 */
export async function benchHeadTraining(options: HeadTrainingOptions): Promise<Ratio> {
  const generated = await timed(() => generateTextureClasses(options.imagesPerClass, SEED));
  const { classNames, images, labels } = generated.value;
  console.log(
    `\n${images.length} generated texture images (${classNames.length} classes × ${options.imagesPerClass}, ` +
      `64–128 px, hue ±90°, saturation and brightness ±50 %, JPEG) in ${generated.seconds.toFixed(1)} s (not timed below)`,
  );

  const embedder = new FeatureEmbedder();
  const closeEmbedder = deferCleanup(() => embedder.close());
  let features: Float32Array[];
  let extractSeconds: number;
  try {
    await embedder.warmUp();
    const start = process.hrtime.bigint();
    features = [];
    for (let index = 0; index < images.length; index += FEATURE_BATCH) {
      features.push(...(await embedder.embed(images.slice(index, index + FEATURE_BATCH))));
    }
    extractSeconds = secondsSince(start);
  } finally {
    await closeEmbedder();
  }

  const trainingOptions: TrainingOptions = {
    ...trainingDefaults,
    epochs: options.epochs,
    classWeights: {},
    featureOutput: null,
    hpSpace: [],
  };
  const { train, validation } = splitFeatures(features, labels, trainingOptions);
  // Every field is set: the gateway sends the tier the same message for these options.
  const hyperparameters = toHyperparameters(trainingOptions, classNames, []) as Hyperparameters;

  const epochRates: number[] = [];
  let evaluation: SplitEvaluation | undefined;
  let epochsRun = 0;
  let bestEpoch = 0;
  const trainStart = process.hrtime.bigint();
  for await (const event of trainHead({
    classes: classNames.length,
    labels: classNames,
    hyperparameters,
    train: { variants: train.features.map((vector) => [vector]), labels: train.labels },
    validation,
    test: null,
    checkpoint: null,
    signal: new AbortController().signal,
  })) {
    if (event.kind === "metrics") epochRates.push(event.values.samples_per_second!);
    if (event.kind === "result") {
      evaluation = event.evaluations.find((candidate) => candidate.split === "VALIDATION");
      [epochsRun, bestEpoch] = [event.epochsRun, event.bestEpoch];
    }
  }
  const trainSeconds = secondsSince(trainStart);
  if (!evaluation) throw new Error("trainHead ended without a validation evaluation");

  const centroidRaw = nearestCentroidAccuracy(train, validation, classNames.length, false);
  const centroidStandardised = nearestCentroidAccuracy(train, validation, classNames.length, true);
  const percent = (accuracy: number) => `${(accuracy * 100).toFixed(1)} %`;
  printTable(
    `(a) validation accuracy, ${train.labels.length} train / ${validation.labels.length} validation samples ` +
      `(stratified, seed ${trainingOptions.seed}), built-in embedder features (${features[0]!.length}-d)`,
    ["classifier", "accuracy", "correct"],
    [
      [
        `trained head (defaults: ${trainingOptions.trainableLayersCount}×${trainingOptions.hiddenUnits} ReLU, ` +
          `${trainingOptions.optimizer} ${trainingOptions.learningRate}; best epoch ${bestEpoch} of ${epochsRun})`,
        percent(evaluation.accuracy),
        `${Math.round(evaluation.accuracy * validation.labels.length)}/${validation.labels.length}`,
      ],
      ...(
        [
          ["nearest centroid, raw features", centroidRaw],
          ["nearest centroid, standardised features", centroidStandardised],
        ] as const
      ).map(([label, accuracy]) => [
        label,
        percent(accuracy),
        `${Math.round(accuracy * validation.labels.length)}/${validation.labels.length}`,
      ]),
    ],
  );

  const sorted = [...epochRates].sort((a, b) => a - b);
  printTable(
    `(b) samples/s, ${os.cpus().length} CPUs`,
    ["stage", "samples", "seconds", "samples/s"],
    [
      [
        `feature extraction (built-in embedder, batches of ${FEATURE_BATCH})`,
        String(images.length),
        formatNumber(extractSeconds),
        formatNumber(images.length / extractSeconds),
      ],
      [
        `head training, per epoch (median; min ${formatNumber(sorted[0]!)}, max ${formatNumber(sorted.at(-1)!)})`,
        String(train.labels.length),
        formatNumber(train.labels.length / sorted[Math.floor(sorted.length / 2)]!),
        formatNumber(sorted[Math.floor(sorted.length / 2)]!),
      ],
      [
        `head training, whole run (${epochsRun} epochs + final evaluation)`,
        String(train.labels.length * epochsRun),
        formatNumber(trainSeconds),
        formatNumber((train.labels.length * epochsRun) / trainSeconds),
      ],
    ],
  );

  const baseline = Math.max(centroidRaw, centroidStandardised);
  return {
    name: "training.head-accuracy",
    subject: { label: "trained head", value: evaluation.accuracy * 100, unit: "%" },
    baseline: { label: "nearest centroid", value: baseline * 100, unit: "%" },
    note: "validation accuracy; the head must beat the better nearest centroid (ratio > 1)",
  };
}

/** The worker's stratified, seeded split (no test split: the generated dataset has none). */
function splitFeatures(
  features: Float32Array[],
  labels: number[],
  options: TrainingOptions,
): { train: LabelledFeatures; validation: LabelledFeatures } {
  const { samples } = assignSplits(
    labels.map((label, index) => ({ sha256: String(index), label, split: null })),
    options.validationSplit,
    options.seed,
  );
  const pick = (split: "TRAIN" | "VALIDATION"): LabelledFeatures => {
    const chosen = samples.filter((sample) => sample.split === split);
    return {
      features: chosen.map((sample) => features[Number(sample.sha256)]!),
      labels: Uint32Array.from(chosen, (sample) => sample.label),
    };
  };
  return { train: pick("TRAIN"), validation: pick("VALIDATION") };
}
