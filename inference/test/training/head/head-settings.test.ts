import { describe, expect, it } from "vitest";
import { resolveHeadSettings } from "../../../src/training/head/head-settings";
import { hyperparameters } from "./support";

describe("hyperparameter defaults", () => {
  const unset = hyperparameters({
    batch_size: 0,
    hidden_units: 0,
    step_size: 0,
    gamma: 0,
    plateau_patience: 0,
    plateau_factor: 0,
    patience: 0,
    monitor: "",
  });

  it("fill every field proto3 leaves at 0", () => {
    expect(resolveHeadSettings(unset, 3, true)).toMatchObject({
      batchSize: 32,
      hiddenUnits: 128,
      stepSize: 10,
      gamma: 0.1,
      plateauPatience: 3,
      plateauFactor: 0.5,
      patience: 5,
      monitor: "val_loss",
      classWeights: Float64Array.from([1, 1, 1]),
    });
  });

  it("watch the training counterpart of a val_* monitor when there is no validation", () => {
    expect(resolveHeadSettings(unset, 3, false).monitor).toBe("loss");
    expect(resolveHeadSettings({ ...unset, monitor: "val_accuracy" }, 3, false).monitor).toBe("accuracy");
  });
});
