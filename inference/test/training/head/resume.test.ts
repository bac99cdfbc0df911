import { describe, expect, it } from "vitest";
import type { Hyperparameters } from "../../../src/training/contracts";
import { clusters, collect, eventsOf, resultOf, trainOn, withoutTimings } from "./support";

const data = clusters({ classes: 3, dimension: 8, perClass: 24, spread: 1, copies: 3 });

/** Everything after epoch `from` as a comparable record: metrics without timings, checkpoints, result. */
async function runFrom(overrides: Partial<Hyperparameters>, checkpoint: Uint8Array | null, from: number) {
  const events = await collect(trainOn(data, overrides, { checkpoint }));
  const result = resultOf(events);
  return {
    metrics: eventsOf(events, "metrics")
      .filter((event) => event.epoch > from)
      .map((event) => ({ epoch: event.epoch, values: withoutTimings(event.values) })),
    checkpoints: eventsOf(events, "checkpoint").filter((event) => event.epoch > from),
    progress: eventsOf(events, "progress").filter((event) => event.epoch > from),
    result: { ...result, checkpoint: [...result.checkpoint] },
    all: events,
  };
}

async function expectResumeMatches(overrides: Partial<Hyperparameters>, resumeAfter: number) {
  const whole = await runFrom(overrides, null, resumeAfter);
  const saved = eventsOf(whole.all, "checkpoint").find((event) => event.epoch === resumeAfter)!.state;
  const resumed = await runFrom(overrides, saved, resumeAfter);
  expect(resumed.metrics.length).toBeGreaterThan(0);
  expect(resumed.metrics).toEqual(whole.metrics);
  expect(resumed.checkpoints).toEqual(whole.checkpoints);
  expect(resumed.progress).toEqual(whole.progress);
  expect(resumed.result).toEqual(whole.result);
  return whole;
}

describe("resuming from a checkpoint", () => {
  it("replays ADAM with dropout, augmented variants, weight decay and ON_PLATEAU bit for bit", async () => {
    const whole = await expectResumeMatches(
      {
        epochs: 7,
        optimizer: "ADAM",
        dropout: 0.3,
        weight_decay: 0.01,
        trainable_layers_count: 2,
        schedule: "ON_PLATEAU",
        plateau_patience: 1,
        min_delta: 0.2,
        class_weights: [1, 2, 0.5],
      },
      3,
    );
    // The plateau cut the rate after the resume point, so its state crossed the checkpoint.
    expect(new Set(whole.metrics.map((event) => event.values.learning_rate)).size).toBeGreaterThan(1);
  });

  it("replays SGD with momentum, COSINE and early stopping bit for bit", async () => {
    const whole = await expectResumeMatches(
      {
        epochs: 8,
        optimizer: "SGD",
        learning_rate: 0.05,
        momentum: 0.9,
        weight_decay: 0.001,
        dropout: 0.2,
        schedule: "COSINE",
        early_stopping: true,
        patience: 2,
        monitor: "val_accuracy",
      },
      2,
    );
    expect(whole.result.stoppedEarly).toBe(true);
  });

  it("answers a checkpoint of a finished run with its result and no further epochs", async () => {
    const whole = await collect(trainOn(data, { epochs: 2 }));
    const last = eventsOf(whole, "checkpoint")[1]!.state;
    const again = await collect(trainOn(data, { epochs: 2 }, { checkpoint: last }));
    expect(again.map((event) => event.kind)).toEqual(["result"]);
    expect(resultOf(again)).toEqual(resultOf(whole));
  });
});
