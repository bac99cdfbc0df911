import { limits } from "../../limits";
import { invalidArgument } from "../../runtime/errors";
import type { Hyperparameters } from "../contracts";

export type Monitor = "val_loss" | "val_accuracy" | "loss" | "accuracy";
const monitors: readonly Monitor[] = ["val_loss", "val_accuracy", "loss", "accuracy"];

/** Hyperparameters with every default resolved and every value checked. */
export interface HeadSettings {
  learningRate: number;
  epochs: number;
  batchSize: number;
  hiddenLayers: number;
  hiddenUnits: number;
  dropout: number;
  weightDecay: number;
  optimizer: "ADAM" | "SGD";
  momentum: number;
  schedule: "CONSTANT" | "STEP" | "COSINE" | "ON_PLATEAU";
  stepSize: number;
  gamma: number;
  plateauPatience: number;
  plateauFactor: number;
  earlyStopping: boolean;
  patience: number;
  minDelta: number;
  /** What picks the best epoch, stops early and drives ON_PLATEAU. */
  monitor: Monitor;
  /** One weight per class. */
  classWeights: Float64Array;
  seed: number;
}

const bounds = limits.training;

// proto3 cannot tell an unset field from 0, so 0 means "the default" wherever 0 is not useful.
const orDefault = (value: number, fallback: number) => (value === 0 ? fallback : value);

function check(ok: boolean, message: string): void {
  if (!ok) throw invalidArgument(message);
}

function classWeightsOf(weights: readonly number[], classes: number): Float64Array {
  if (weights.length === 0) return new Float64Array(classes).fill(1);
  check(
    weights.length === classes,
    `class_weights must have one weight per label (${classes}), got ${weights.length}`,
  );
  weights.forEach((weight, index) =>
    check(Number.isFinite(weight) && weight >= 0, `class_weights[${index}] must be ≥ 0, got ${weight}`),
  );
  check(
    weights.some((weight) => weight > 0),
    "class_weights must give at least one class a weight above 0",
  );
  return Float64Array.from(weights);
}

/**
 * `hasValidation` false turns a val_* monitor into its training counterpart: with no validation
 * samples the training metric is the only signal there is.
 */
export function resolveHeadSettings(
  hyperparameters: Hyperparameters,
  classes: number,
  hasValidation: boolean,
): HeadSettings {
  const h = hyperparameters;
  const requested = (h.monitor || "val_loss") as Monitor;
  check(monitors.includes(requested), `monitor must be one of ${monitors.join(", ")}, got "${h.monitor}"`);
  const monitor = hasValidation ? requested : (requested.replace(/^val_/, "") as Monitor);

  check(
    Number.isFinite(h.learning_rate) && h.learning_rate > 0,
    `learning_rate must be > 0, got ${h.learning_rate}`,
  );
  check(
    Number.isInteger(h.epochs) && h.epochs >= 1 && h.epochs <= bounds.epochs,
    `epochs must be between 1 and ${bounds.epochs}, got ${h.epochs}`,
  );
  // 0 means the default for these; what a run allocates grows with the first, the rest count epochs.
  for (const [name, value, max] of [
    ["batch_size", h.batch_size, bounds.batchSize],
    ["step_size", h.step_size, bounds.epochs],
    ["plateau_patience", h.plateau_patience, bounds.epochs],
    ["patience", h.patience, bounds.epochs],
  ] as const) {
    check(value <= max, `${name} must be between 0 and ${max} (0: the default), got ${value}`);
  }
  check(h.dropout >= 0 && h.dropout < 1, `dropout must be in [0, 1), got ${h.dropout}`);
  check(h.weight_decay >= 0, `weight_decay must be ≥ 0, got ${h.weight_decay}`);
  check(h.momentum >= 0 && h.momentum < 1, `momentum must be in [0, 1), got ${h.momentum}`);
  check(h.gamma >= 0, `gamma must be > 0, got ${h.gamma}`);
  check(
    h.plateau_factor >= 0 && h.plateau_factor < 1,
    `plateau_factor must be in (0, 1), got ${h.plateau_factor}`,
  );
  check(h.min_delta >= 0, `min_delta must be ≥ 0, got ${h.min_delta}`);
  check(Number.isInteger(h.seed) && h.seed >= 0, `seed must be an integer ≥ 0, got ${h.seed}`);
  check(
    h.trainable_layers_count <= bounds.hiddenLayers,
    `trainable_layers_count must be between 0 and ${bounds.hiddenLayers}, got ${h.trainable_layers_count}`,
  );
  check(
    h.hidden_units <= bounds.hiddenUnits,
    `hidden_units must be between 0 and ${bounds.hiddenUnits} (0: the default), got ${h.hidden_units}`,
  );

  return {
    learningRate: h.learning_rate,
    epochs: h.epochs,
    batchSize: orDefault(h.batch_size, 32),
    hiddenLayers: h.trainable_layers_count,
    hiddenUnits: orDefault(h.hidden_units, 128),
    dropout: h.dropout,
    weightDecay: h.weight_decay,
    optimizer: h.optimizer,
    momentum: h.momentum,
    schedule: h.schedule,
    stepSize: orDefault(h.step_size, 10),
    gamma: orDefault(h.gamma, 0.1),
    plateauPatience: orDefault(h.plateau_patience, 3),
    plateauFactor: orDefault(h.plateau_factor, 0.5),
    earlyStopping: h.early_stopping,
    patience: orDefault(h.patience, 5),
    minDelta: h.min_delta,
    monitor,
    classWeights: classWeightsOf(h.class_weights, classes),
    seed: h.seed,
  };
}
