import {
  TrainingDivergedError,
  type FinalSplitEvaluation,
  type HeadWeights,
  type TrainerEvent,
  type TrainHeadOptions,
} from "../contracts";
import { encodeCheckpoint, type TrainingState } from "./checkpoint";
import { denseLayout, headSizes, layerViews } from "./dense-layout";
import { evaluateFinalSplit, evaluateSplit } from "./evaluation";
import { resolveHeadSettings } from "./head-settings";
import { learningRateAt } from "./learning-rate";
import { predictInTurns } from "./predict";
import { fitStandardisation } from "./standardisation";
import { trainEpoch, type EpochContext } from "./train-epoch";
import { checkTrainingInputs } from "./training-inputs";
import { TrainingPass } from "./training-pass";
import { freshState, recordEpoch, resumedState } from "./training-state";

function headOf(state: TrainingState, parameters: Float32Array): HeadWeights {
  return {
    inputMean: state.standardisation.mean,
    inputScale: state.standardisation.scale,
    layers: layerViews(denseLayout(state.sizes), parameters),
  };
}

/**
 * Trains a dense softmax head on precomputed features. Yields progress (about ten per epoch),
 * then per epoch its metrics and a checkpoint; ends with the result, evaluated with the best
 * epoch's weights. With `options.checkpoint` it continues after that checkpoint's epoch and
 * yields exactly what the uninterrupted run would have from there on (timings aside).
 *
 * Throws TierError INVALID_ARGUMENT for inputs or hyperparameters it cannot train with,
 * CheckpointError for a checkpoint of another head, TrainingDivergedError when the loss stops
 * being finite, and the signal's reason once `options.signal` aborts.
 */
export async function* trainHead(options: TrainHeadOptions): AsyncGenerator<TrainerEvent> {
  const { classes, train, validation, test, signal } = options;
  const dimension = checkTrainingInputs(options);
  const hasValidation = validation.features.length > 0;
  const settings = resolveHeadSettings(options.hyperparameters, classes, hasValidation);
  const layout = denseLayout(headSizes(dimension, settings.hiddenLayers, settings.hiddenUnits, classes));
  signal.throwIfAborted();

  const originals = train.variants.map((variants) => variants[0]!);
  let state =
    options.checkpoint === null
      ? freshState(layout, settings, fitStandardisation(originals, dimension))
      : resumedState(options.checkpoint, layout, settings);
  const context: EpochContext = {
    settings,
    layout,
    pass: new TrainingPass(layout, Math.min(settings.batchSize, train.labels.length), settings.dropout),
    train,
    variantCounts: Uint32Array.from(train.variants, (variants) => variants.length),
    signal,
  };
  let checkpoint = options.checkpoint ?? encodeCheckpoint(state);

  for (let epoch = state.epoch + 1; epoch <= settings.epochs && !state.earlyStopping.stopped; epoch++) {
    const started = performance.now();
    const learningRate = learningRateAt(settings, epoch, state.plateau);
    const totals = yield* trainEpoch(context, state, epoch, learningRate);
    const values: Record<string, number> = { loss: totals.loss, accuracy: totals.accuracy };
    if (hasValidation) {
      const head = headOf(state, state.parameters);
      const probabilities = await predictInTurns(head, validation.features, signal);
      const evaluation = evaluateSplit("VALIDATION", probabilities, validation.labels, options.labels);
      values.val_loss = evaluation.loss;
      values.val_accuracy = evaluation.accuracy;
      // The last step's update can break the weights without any training loss seeing it.
      if (!Number.isFinite(evaluation.loss)) {
        throw new TrainingDivergedError(
          `the validation loss became ${evaluation.loss} after epoch ${epoch} at learning rate ${learningRate}; ` +
            "a lower learning rate may train",
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    values.learning_rate = learningRate;
    values.epoch_seconds = seconds;
    values.samples_per_second = train.labels.length / seconds;

    state = recordEpoch(state, epoch, values[settings.monitor]!, settings);
    checkpoint = encodeCheckpoint(state);
    yield { kind: "metrics", epoch, values };
    yield { kind: "checkpoint", epoch, state: checkpoint };
  }

  const bestHead = headOf(state, state.best.parameters);
  const evaluations: FinalSplitEvaluation[] = [];
  for (const [split, data] of [
    ["VALIDATION", validation],
    ["TEST", test],
  ] as const) {
    if (data === null || data.features.length === 0) continue;
    const probabilities = await predictInTurns(bestHead, data.features, signal);
    evaluations.push(evaluateFinalSplit(split, probabilities, data.labels, options.labels));
  }
  yield {
    kind: "result",
    evaluations,
    epochsRun: state.epoch,
    bestEpoch: state.best.epoch,
    stoppedEarly: state.earlyStopping.stopped,
    objective: state.best.objective,
    checkpoint,
  };
}
