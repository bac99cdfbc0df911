import type { Monitor } from "./head-settings";

/** Losses improve downwards, accuracies upwards. */
export const lowerIsBetter = (monitor: Monitor) => monitor.endsWith("loss");

/** The value every real value beats: where best-so-far trackers start. */
export const worstValue = (monitor: Monitor) => (lowerIsBetter(monitor) ? Infinity : -Infinity);

/** Whether `value` beats `best` by more than `minDelta` (NaN never does). */
export function improves(monitor: Monitor, value: number, best: number, minDelta: number): boolean {
  return lowerIsBetter(monitor) ? value < best - minDelta : value > best + minDelta;
}

/** Early stopping as Keras counts it: stop once `patience` epochs in a row brought no improvement. */
export interface EarlyStoppingState {
  best: number;
  wait: number;
  stopped: boolean;
}

export function afterEpochEarlyStopping(
  state: EarlyStoppingState,
  value: number,
  settings: { monitor: Monitor; minDelta: number; patience: number },
): EarlyStoppingState {
  if (improves(settings.monitor, value, state.best, settings.minDelta)) {
    return { best: value, wait: 0, stopped: false };
  }
  const wait = state.wait + 1;
  return { best: state.best, wait, stopped: wait >= settings.patience };
}
