import { describe, expect, it } from "vitest";
import { headFromCheckpoint } from "../../../src/training/head/checkpoint";
import { predictProbabilities } from "../../../src/training/head/predict";
import { clusters, collect, eventsOf, resultOf, trainOn } from "./support";

describe("training a head", () => {
  const data = clusters({ classes: 4, dimension: 12, perClass: 40, spread: 2, copies: 2 });

  it("learns separable clusters to 100% validation and test accuracy", async () => {
    const events = await collect(trainOn(data, { epochs: 8, dropout: 0.1 }));
    const result = resultOf(events);
    expect(result.evaluations.map(({ split, count, accuracy }) => ({ split, count, accuracy }))).toEqual([
      { split: "VALIDATION", count: 40, accuracy: 1 },
      { split: "TEST", count: 40, accuracy: 1 },
    ]);
    expect(result.epochsRun).toBe(8);
    expect(result.stoppedEarly).toBe(false);
    const losses = eventsOf(events, "metrics").map((metrics) => metrics.values.loss!);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]! / 4);
  });

  it("reports each epoch's metrics, a checkpoint after each, and at most 11 progress events per epoch", async () => {
    // 160 samples in batches of 8: 20 steps, a progress event every 2nd step.
    const events = await collect(trainOn(data, { epochs: 2, batch_size: 8 }));
    expect(events.map((event) => event.kind).filter((kind) => kind !== "progress")).toEqual([
      "metrics",
      "checkpoint",
      "metrics",
      "checkpoint",
      "result",
    ]);
    const progress = eventsOf(events, "progress").filter((event) => event.epoch === 1);
    expect(progress.map((event) => event.step)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(progress[0]).toEqual({ kind: "progress", epoch: 1, totalEpochs: 2, step: 2, totalSteps: 20 });
    const [first] = eventsOf(events, "metrics");
    expect(Object.keys(first!.values).sort()).toEqual(
      [
        "accuracy",
        "epoch_seconds",
        "learning_rate",
        "loss",
        "samples_per_second",
        "val_accuracy",
        "val_loss",
      ].sort(),
    );
    expect(first!.values.samples_per_second).toBeCloseTo(160 / first!.values.epoch_seconds!, 6);
  });

  it("leaves val_* out and monitors the training loss when validation is empty", async () => {
    const noValidation = { ...data, validation: { features: [], labels: new Uint32Array() } };
    const events = await collect(trainOn(noValidation, { epochs: 2 }));
    const [metrics] = eventsOf(events, "metrics");
    expect(metrics!.values.val_loss).toBeUndefined();
    const result = resultOf(events);
    expect(result.evaluations.map((evaluation) => evaluation.split)).toEqual(["TEST"]);
    const losses = eventsOf(events, "metrics").map((event) => event.values.loss!);
    expect(result.objective).toBe(Math.min(...losses));
  });

  it("predicts from the result's checkpoint exactly what the evaluation measured", async () => {
    const result = resultOf(await collect(trainOn(data, { epochs: 3, trainable_layers_count: 2 })));
    const probabilities = predictProbabilities(headFromCheckpoint(result.checkpoint), data.test.features);
    const classes = data.labels.length;
    const confusion = new Array<number>(classes * classes).fill(0);
    let loss = 0;
    probabilities.forEach((row, index) => {
      expect(row.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 6);
      const label = data.test.labels[index]!;
      confusion[label * classes + row.indexOf(Math.max(...row))]!++;
      loss -= Math.log(row[label]!);
    });
    const test = result.evaluations.find((evaluation) => evaluation.split === "TEST")!;
    expect(confusion).toEqual(test.confusionMatrix);
    expect(loss / probabilities.length).toBeCloseTo(test.loss, 12);
    const correct = confusion.filter((_, index) => index % (classes + 1) === 0).reduce((a, b) => a + b, 0);
    expect(correct / probabilities.length).toBe(test.accuracy);
  });
});
