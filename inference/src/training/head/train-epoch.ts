import { setImmediate as nextTurn } from "node:timers/promises";
import { TrainingDivergedError, type TrainerEvent, type TrainingFeatures } from "../contracts";
import type { TrainingState } from "./checkpoint";
import type { DenseLayout } from "./dense-layout";
import { planEpoch } from "./epoch-plan";
import type { HeadSettings } from "./head-settings";
import { applyUpdate } from "./optimizer";
import { RandomPurpose, SeededRandom } from "./random";
import { standardiseInto } from "./standardisation";
import type { TrainingPass } from "./training-pass";

/** What a run keeps between epochs. */
export interface EpochContext {
  settings: HeadSettings;
  layout: DenseLayout;
  pass: TrainingPass;
  train: TrainingFeatures;
  variantCounts: Uint32Array;
  signal: AbortSignal;
}

/** The training half of an epoch's metrics. */
export interface EpochTotals {
  loss: number;
  accuracy: number;
}

/** Progress events per epoch, not counting the one for the last step. */
const progressEventsPerEpoch = 10;

/**
 * One pass over the training samples in mini-batches, updating `state.parameters` and
 * `state.optimizer` in place. Between mini-batches it gives the event loop a turn and honours
 * `signal`, so an abort lands within one mini-batch.
 */
export async function* trainEpoch(
  context: EpochContext,
  state: TrainingState,
  epoch: number,
  learningRate: number,
): AsyncGenerator<TrainerEvent, EpochTotals> {
  const { settings, layout, pass, train, signal } = context;
  const dimension = layout.sizes[0]!;
  const samples = train.labels.length;
  const steps = Math.ceil(samples / settings.batchSize);
  const progressEvery = Math.ceil(steps / progressEventsPerEpoch);
  const plan = planEpoch(settings.seed, epoch, context.variantCounts);
  const update = { learningRate, momentum: settings.momentum, weightDecay: settings.weightDecay };
  let weightedLoss = 0;
  let weightSum = 0;
  let correct = 0;

  for (let step = 1; step <= steps; step++) {
    signal.throwIfAborted();
    const start = (step - 1) * settings.batchSize;
    const rows = Math.min(settings.batchSize, samples - start);
    for (let row = 0; row < rows; row++) {
      const sample = plan.order[start + row]!;
      const vector = train.variants[sample]![plan.variants[sample]!]!;
      standardiseInto(vector, state.standardisation, pass.input, row * dimension);
      pass.labels[row] = train.labels[sample]!;
    }
    const dropout = new SeededRandom(settings.seed, RandomPurpose.dropout, epoch, step);
    const batch = pass.run(state.parameters, rows, settings.classWeights, dropout);
    if (!Number.isFinite(batch.weightedLoss)) {
      throw new TrainingDivergedError(
        `the training loss became ${batch.weightedLoss} in epoch ${epoch} (step ${step} of ${steps}) ` +
          `at learning rate ${learningRate}; a lower learning rate may train`,
      );
    }
    applyUpdate(state.optimizer, layout, state.parameters, pass.gradients, update);
    weightedLoss += batch.weightedLoss;
    weightSum += batch.weightSum;
    correct += batch.correct;

    await nextTurn();
    signal.throwIfAborted();
    if (step % progressEvery === 0 || step === steps) {
      yield { kind: "progress", epoch, totalEpochs: settings.epochs, step, totalSteps: steps };
    }
  }
  return { loss: weightSum > 0 ? weightedLoss / weightSum : 0, accuracy: correct / samples };
}
