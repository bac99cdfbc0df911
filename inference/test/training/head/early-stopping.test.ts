import { describe, expect, it } from "vitest";
import { decodeCheckpoint, headFromCheckpoint } from "../../../src/training/head/checkpoint";
import { clusters, collect, eventsOf, resultOf, trainOn } from "./support";

const flatWeights = (state: Uint8Array) =>
  headFromCheckpoint(state).layers.flatMap((layer) => [...layer.weights, ...layer.bias]);

describe("early stopping", () => {
  const data = clusters({ classes: 3, dimension: 6, perClass: 20, spread: 2 });
  // Validation labels shifted by one class: the better the head learns, the worse val_loss gets.
  const misleading = {
    ...data,
    validation: { ...data.validation, labels: data.validation.labels.map((label) => (label + 1) % 3) },
  };

  it("stops `patience` epochs after the monitor last improved and keeps that epoch's weights", async () => {
    const events = await collect(
      trainOn(misleading, { epochs: 30, early_stopping: true, patience: 3, monitor: "val_loss" }),
    );
    const result = resultOf(events);
    expect(result).toMatchObject({ epochsRun: 4, bestEpoch: 1, stoppedEarly: true });
    const metrics = eventsOf(events, "metrics");
    expect(metrics.map((event) => event.epoch)).toEqual([1, 2, 3, 4]);
    expect(result.objective).toBe(metrics[0]!.values.val_loss);

    const checkpoints = eventsOf(events, "checkpoint");
    expect(result.checkpoint).toEqual(checkpoints[3]!.state);
    const epochOne = decodeCheckpoint(checkpoints[0]!.state).parameters;
    expect(flatWeights(result.checkpoint)).toEqual([...epochOne]);
    expect([...decodeCheckpoint(result.checkpoint).parameters]).not.toEqual([...epochOne]);
  });

  it("evaluates with the best epoch's weights", async () => {
    const events = await collect(
      trainOn(misleading, { epochs: 30, early_stopping: true, patience: 2, monitor: "val_loss" }),
    );
    const validation = resultOf(events).evaluations.find((evaluation) => evaluation.split === "VALIDATION")!;
    expect(validation.loss).toBe(eventsOf(events, "metrics")[0]!.values.val_loss);
  });

  it("counts only improvements larger than min_delta", async () => {
    const events = await collect(
      trainOn(data, { epochs: 40, early_stopping: true, patience: 2, monitor: "loss", min_delta: 10 }),
    );
    // No epoch can lower the loss by 10 below the first epoch's: epoch 1 is the last improvement.
    expect(resultOf(events)).toMatchObject({ epochsRun: 3, stoppedEarly: true });
  });

  it("runs every epoch without early stopping and picks the best by the monitor", async () => {
    const events = await collect(trainOn(misleading, { epochs: 6, monitor: "accuracy" }));
    const result = resultOf(events);
    const accuracies = eventsOf(events, "metrics").map((event) => event.values.accuracy!);
    expect(result.epochsRun).toBe(6);
    expect(result.stoppedEarly).toBe(false);
    expect(result.objective).toBe(Math.max(...accuracies));
    expect(result.bestEpoch).toBe(accuracies.indexOf(Math.max(...accuracies)) + 1);
  });
});
