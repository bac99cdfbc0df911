import { describe, expect, it } from "vitest";
import { applyEvent, initialState, secondsLeft } from "../../../src/training/cli/progress-state";
import { eventLine, formatDuration, progressLine } from "../../../src/training/cli/progress-render";
import { metricsEvent, progressEvent, startedJob, trialEvent } from "./fixtures";

const T0 = 1_000_000;

describe("the progress bar", () => {
  it("shows epoch, progress, the latest metrics and the time left at the rate so far", () => {
    let state = initialState(startedJob());
    state = applyEvent(state, progressEvent({ epoch: 1, progress: 0 }), T0);
    state = applyEvent(
      state,
      metricsEvent(1, { loss: 0.9, accuracy: 0.5, val_loss: 1.1, val_accuracy: 0.25, learning_rate: 0.001 }),
      T0 + 5_000,
    );
    state = applyEvent(state, progressEvent({ epoch: 2, step: 1, progress: 0.25 }), T0 + 10_000);
    // A quarter done in 10 s: 30 s to go.
    expect(secondsLeft(state, T0 + 10_000)).toBe(30);
    expect(progressLine(state, T0 + 10_000)).toBe(
      "epoch 2/10  [█████░░░░░░░░░░░░░░░]  25%  loss 0.9000  acc 0.5000  val_loss 1.1000  val_acc 0.2500  ETA 30s",
    );
  });

  it("says what the job waits for before training, and counts trials during a search", () => {
    const queued = initialState(startedJob());
    expect(progressLine(queued, T0)).toBe("queued, waiting for a worker  [░░░░░░░░░░░░░░░░░░░░]   0%");

    const searching = initialState(startedJob({ enableHyperparameterTuning: true, maxTrials: 4 }));
    const features = applyEvent(
      searching,
      progressEvent({ phase: "FEATURES", trial: 1, step: 30, totalSteps: 120, progress: 0.25 }),
      T0,
    );
    expect(progressLine(features, T0)).toBe(
      "trial 2/4  features 30/120  [█████░░░░░░░░░░░░░░░]  25%  ETA --",
    );
  });

  it("forgets the previous trial's metrics when the next trial starts", () => {
    let state = initialState(startedJob({ enableHyperparameterTuning: true, maxTrials: 3 }));
    state = applyEvent(state, metricsEvent(3, { loss: 0.4 }, 0), T0);
    state = applyEvent(state, trialEvent(1, "RUNNING"), T0);
    expect(state).toMatchObject({ trial: 1, metrics: {}, metricsEpoch: 0 });
    expect(state.params.map((p) => p.name)).toEqual(["learningRate", "optimizer"]);
  });

  it("keeps validation metrics and ETA on a narrow terminal, and never wraps", () => {
    let state = initialState(startedJob({ enableHyperparameterTuning: true, maxTrials: 3 }));
    state = applyEvent(state, progressEvent({ epoch: 5, progress: 0.5 }), T0);
    state = applyEvent(
      state,
      metricsEvent(5, { loss: 0.1, accuracy: 0.9, val_loss: 0.2, val_accuracy: 0.8 }),
      T0,
    );
    expect(progressLine(state, T0, 120)).toBe(
      "trial 1/3  epoch 5/10  [██████████░░░░░░░░░░]  50%  loss 0.1000  acc 0.9000  val_loss 0.2000  val_acc 0.8000  ETA --",
    );
    expect(progressLine(state, T0, 90)).toBe(
      "trial 1/3  epoch 5/10  [█████░░░░░]  50%  val_loss 0.2000  val_acc 0.8000  ETA --",
    );
    expect(progressLine(state, T0, 70)).toBe(
      "trial 1/3  epoch 5/10  50%  val_loss 0.2000  val_acc 0.8000  ETA --",
    );
    expect(progressLine(state, T0, 40)).toBe("trial 1/3  epoch 5/10  50%  val_loss 0…");
  });

  it("formats durations the way a person reads them", () => {
    expect([0, 42.4, 185, 3720].map(formatDuration)).toEqual(["0s", "42s", "3m05s", "1h02m"]);
  });
});

describe("lines kept in the output", () => {
  const job = startedJob();

  it("prints one line per finished epoch with its metrics, learning rate and duration", () => {
    const line = eventLine(
      initialState(job),
      metricsEvent(3, {
        loss: 0.41234,
        accuracy: 0.875,
        val_loss: 0.5,
        val_accuracy: 0.8333,
        learning_rate: 0.00075,
        epoch_seconds: 1.234,
        samples_per_second: 812,
      }),
      false,
    );
    expect(line).toBe(
      "epoch 3/10  loss 0.4123  acc 0.8750  val_loss 0.5000  val_acc 0.8333  lr 0.00075  1.2s",
    );
  });

  it("prints phase changes only where there is no progress bar", () => {
    const queued = initialState(job);
    const features = progressEvent({ phase: "FEATURES", step: 0, totalSteps: 20 });
    expect(eventLine(queued, features, true)).toBe("extracting features");
    expect(eventLine(queued, features, false)).toBeNull();
    const extracting = applyEvent(queued, features, T0);
    expect(
      eventLine(extracting, progressEvent({ phase: "FEATURES", step: 10, totalSteps: 20 }), true),
    ).toBeNull();
    expect(eventLine(extracting, progressEvent({ phase: "TRAINING" }), true)).toBe("training");
  });

  it("prints trials with their parameters and outcome during a search", () => {
    const searching = initialState(startedJob({ enableHyperparameterTuning: true, maxTrials: 5 }));
    expect(eventLine(searching, trialEvent(2, "RUNNING"), false)).toBe(
      "trial 3/5 started (learningRate 0.00123, optimizer ADAM)",
    );
    expect(eventLine(searching, trialEvent(2, "PRUNED", { objective: 0.9, epochsRun: 3 }), false)).toBe(
      "trial 3/5 PRUNED: objective 0.9000 after 3 epochs (learningRate 0.00123, optimizer ADAM)",
    );
    expect(eventLine(initialState(job), trialEvent(0, "RUNNING"), false)).toBeNull();
  });
});
