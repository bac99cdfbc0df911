import { describe, expect, it } from "vitest";
import { resolveHeadSettings } from "../../../src/training/head/head-settings";
import {
  afterEpochPlateau,
  learningRateAt,
  type PlateauState,
} from "../../../src/training/head/learning-rate";
import { clusters, collect, eventsOf, hyperparameters, trainOn } from "./support";

const settingsOf = (overrides: Parameters<typeof hyperparameters>[0]) =>
  resolveHeadSettings(hyperparameters(overrides), 2, true);

const unchanged: PlateauState = { factor: 1, best: Infinity, wait: 0 };

function rates(overrides: Parameters<typeof hyperparameters>[0]): number[] {
  const settings = settingsOf(overrides);
  return Array.from({ length: settings.epochs }, (_, index) =>
    learningRateAt(settings, index + 1, unchanged),
  );
}

describe("learning-rate schedules", () => {
  it("CONSTANT keeps the rate", () => {
    expect(rates({ learning_rate: 0.1, epochs: 3, schedule: "CONSTANT" })).toEqual([0.1, 0.1, 0.1]);
  });

  it("STEP multiplies by gamma every step_size epochs", () => {
    expect(rates({ learning_rate: 0.1, epochs: 7, schedule: "STEP", step_size: 2, gamma: 0.5 })).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125,
    ]);
  });

  it("STEP defaults to step_size 10 and gamma 0.1", () => {
    const sequence = rates({ learning_rate: 1, epochs: 21, schedule: "STEP" });
    expect(sequence.slice(8, 12)).toEqual([1, 1, 0.1, 0.1]);
    expect(sequence[20]).toBeCloseTo(0.01, 15);
  });

  it("COSINE decays from the rate towards 0 over the epochs", () => {
    const sequence = rates({ learning_rate: 0.2, epochs: 4, schedule: "COSINE" });
    const expected = [0.2, 0.1 * (1 + Math.SQRT1_2), 0.1, 0.1 * (1 - Math.SQRT1_2)];
    sequence.forEach((rate, index) => expect(rate).toBeCloseTo(expected[index]!, 15));
  });

  it("ON_PLATEAU cuts the rate after plateau_patience epochs without improvement", () => {
    const settings = settingsOf({
      learning_rate: 0.4,
      schedule: "ON_PLATEAU",
      plateau_patience: 2,
      plateau_factor: 0.5,
    });
    const valLosses = [1.0, 0.9, 0.95, 0.92, 0.91, 0.8, 0.85, 0.85, 0.85];
    let plateau = unchanged;
    const sequence: number[] = [];
    valLosses.forEach((loss, index) => {
      sequence.push(learningRateAt(settings, index + 1, plateau));
      plateau = afterEpochPlateau(plateau, loss, settings);
    });
    // Epochs 3 and 4 do not beat 0.9: epoch 5 runs at half. 5 does not either (wait restarts),
    // 6 improves, 7 and 8 do not: epoch 9 runs at a quarter.
    expect(sequence).toEqual([0.4, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.2, 0.1]);
  });

  it("ON_PLATEAU defaults to patience 3 and factor 0.5, and reads min_delta", () => {
    const settings = settingsOf({ learning_rate: 1, schedule: "ON_PLATEAU", min_delta: 0.1 });
    let plateau = unchanged;
    for (const loss of [1, 0.95, 0.92, 0.91]) plateau = afterEpochPlateau(plateau, loss, settings);
    expect(learningRateAt(settings, 5, plateau)).toBe(0.5);
  });

  it("reaches the trainer: each epoch's metrics report the rate it ran at", async () => {
    const data = clusters({ classes: 2, dimension: 4, perClass: 8, spread: 2 });
    const events = await collect(
      trainOn(data, { learning_rate: 0.08, epochs: 5, schedule: "STEP", step_size: 2, gamma: 0.5 }),
    );
    expect(eventsOf(events, "metrics").map((event) => event.values.learning_rate)).toEqual([
      0.08, 0.08, 0.04, 0.04, 0.02,
    ]);
  });
});
