import { CheckpointError } from "../contracts";
import { decodeCheckpoint, type TrainingState } from "./checkpoint";
import { initialParameters, type DenseLayout } from "./dense-layout";
import type { HeadSettings } from "./head-settings";
import { afterEpochPlateau } from "./learning-rate";
import { afterEpochEarlyStopping, improves, worstValue } from "./monitor";
import { newOptimizerState } from "./optimizer";
import type { Standardisation } from "./standardisation";

export function freshState(
  layout: DenseLayout,
  settings: HeadSettings,
  standardisation: Standardisation,
): TrainingState {
  const parameters = initialParameters(layout, settings.seed);
  const worst = worstValue(settings.monitor);
  return {
    epoch: 0,
    sizes: [...layout.sizes],
    standardisation,
    parameters,
    best: { epoch: 0, objective: worst, parameters: parameters.slice() },
    optimizer: newOptimizerState(settings.optimizer, layout.parameterCount),
    plateau: { factor: 1, best: worst, wait: 0 },
    earlyStopping: { best: worst, wait: 0, stopped: false },
  };
}

/** A checkpoint's state, refused unless it is of the head these options would train. */
export function resumedState(
  checkpoint: Uint8Array,
  layout: DenseLayout,
  settings: HeadSettings,
): TrainingState {
  const state = decodeCheckpoint(checkpoint);
  const sizes = layout.sizes.join(", ");
  if (state.sizes.join(", ") !== sizes) {
    throw new CheckpointError(
      `checkpoint holds a head of sizes [${state.sizes.join(", ")}], these options train [${sizes}]`,
    );
  }
  if (state.optimizer.kind !== settings.optimizer) {
    throw new CheckpointError(
      `checkpoint was trained with ${state.optimizer.kind}, these options use ${settings.optimizer}`,
    );
  }
  return state;
}

/**
 * Folds a finished epoch into the state: the best weights (strictly better monitor value; the
 * earlier epoch wins a tie), early stopping and ON_PLATEAU. `state.parameters` already holds the
 * epoch's weights.
 */
export function recordEpoch(
  state: TrainingState,
  epoch: number,
  monitorValue: number,
  settings: HeadSettings,
): TrainingState {
  const best = improves(settings.monitor, monitorValue, state.best.objective, 0)
    ? { epoch, objective: monitorValue, parameters: state.parameters.slice() }
    : state.best;
  return {
    ...state,
    epoch,
    best,
    plateau:
      settings.schedule === "ON_PLATEAU"
        ? afterEpochPlateau(state.plateau, monitorValue, settings)
        : state.plateau,
    earlyStopping: settings.earlyStopping
      ? afterEpochEarlyStopping(state.earlyStopping, monitorValue, settings)
      : state.earlyStopping,
  };
}
