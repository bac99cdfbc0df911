import type { HeadSettings } from "./head-settings";
import { improves } from "./monitor";

/** ON_PLATEAU's memory: how far the rate has been cut, and the epochs since the monitor improved. */
export interface PlateauState {
  factor: number;
  best: number;
  wait: number;
}

type ScheduleSettings = Pick<HeadSettings, "learningRate" | "epochs" | "schedule" | "stepSize" | "gamma">;

/** The learning rate of `epoch` (1-based). */
export function learningRateAt(settings: ScheduleSettings, epoch: number, plateau: PlateauState): number {
  const { learningRate } = settings;
  switch (settings.schedule) {
    case "CONSTANT":
      return learningRate;
    case "STEP":
      return learningRate * settings.gamma ** Math.floor((epoch - 1) / settings.stepSize);
    case "COSINE":
      // Epoch 1 runs at the full rate; the rate would reach 0 one epoch after the last.
      return learningRate * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / settings.epochs));
    case "ON_PLATEAU":
      return learningRate * plateau.factor;
  }
}

/**
 * After an epoch: `plateauPatience` epochs in a row without the monitor improving by more than
 * `minDelta` cut the rate by `plateauFactor` (as Keras's ReduceLROnPlateau, without cooldown).
 */
export function afterEpochPlateau(
  plateau: PlateauState,
  value: number,
  settings: Pick<HeadSettings, "monitor" | "minDelta" | "plateauPatience" | "plateauFactor">,
): PlateauState {
  if (improves(settings.monitor, value, plateau.best, settings.minDelta)) {
    return { factor: plateau.factor, best: value, wait: 0 };
  }
  const wait = plateau.wait + 1;
  if (wait < settings.plateauPatience) return { ...plateau, wait };
  return { factor: plateau.factor * settings.plateauFactor, best: plateau.best, wait: 0 };
}
