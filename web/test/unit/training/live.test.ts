import { describe, expect, it } from "vitest";
import { TrainingPhase, TrainingStatus } from "../../../src/gql/graphql";
import {
  initialLiveTraining,
  liveTrainingReducer,
  type LiveAction,
  type LiveTraining,
  type TrainingEvent,
} from "../../../src/training/live-training";
import { epochRows, pointsOfEpoch } from "../../../src/training/metric-series";

const progress = (
  seq: number,
  epoch: number,
  status: TrainingStatus = TrainingStatus.Running,
): TrainingEvent => ({
  __typename: "TrainingProgressEvent",
  seq,
  status,
  phase: TrainingPhase.Training,
  trial: 0,
  epoch,
  totalEpochs: 6,
  step: 0,
  totalSteps: 4,
  progress: epoch / 6,
});

const metrics = (seq: number, epoch: number, loss = 1 / epoch): TrainingEvent => ({
  __typename: "TrainingMetricsEvent",
  seq,
  trial: 0,
  epoch,
  values: [
    { name: "loss", value: loss },
    { name: "val_accuracy", value: epoch / 10 },
  ],
});

const storedEpochs = (...epochs: number[]) =>
  epochs.flatMap((epoch) =>
    pointsOfEpoch(0, epoch, [
      { name: "loss", value: 1 / epoch },
      { name: "val_accuracy", value: epoch / 10 },
    ]),
  );

function run(actions: LiveAction[], state: LiveTraining = initialLiveTraining): LiveTraining {
  return actions.reduce(liveTrainingReducer, state);
}

const epochsShown = (state: LiveTraining) => epochRows(state.points, 0).map((row) => row.epoch);

describe("a job's live curves", () => {
  it("start from the stored history and grow with each epoch's metrics event", () => {
    let state = run([{ type: "history", request: 1, points: storedEpochs(1, 2) }]);
    expect(epochsShown(state)).toEqual([1, 2]);
    // The stream's first event is the job's current state: the history is read once more, since
    // epochs may have ended between the first read and the subscription.
    state = run([{ type: "event", event: progress(7, 3) }], state);
    expect(state.historyWanted).toBe(2);
    state = run(
      [
        { type: "event", event: metrics(8, 3) },
        { type: "history", request: 2, points: storedEpochs(1, 2, 3) },
        { type: "event", event: progress(9, 4) },
        { type: "event", event: metrics(10, 4) },
      ],
      state,
    );
    expect(epochsShown(state)).toEqual([1, 2, 3, 4]);
    expect(state.points).toHaveLength(8);
    expect(state.historyWanted).toBe(2);
    expect(state.progress).toMatchObject({ epoch: 4, status: TrainingStatus.Running });
  });

  it("read the history again after a lost socket and resume without gaps or doubled epochs", () => {
    let state = run([
      { type: "history", request: 1, points: storedEpochs(1) },
      { type: "event", event: progress(5, 2) },
      { type: "history", request: 2, points: storedEpochs(1) },
      { type: "event", event: metrics(6, 2) },
    ]);
    expect(epochsShown(state)).toEqual([1, 2]);
    // The socket drops; epochs 3 and 4 end meanwhile. graphql-ws subscribes again and the
    // server starts with the current state, whose seq shows what was missed.
    state = run([{ type: "event", event: progress(11, 5) }], state);
    expect(state.historyWanted).toBe(3);
    state = run(
      [
        { type: "event", event: metrics(12, 5) },
        { type: "history", request: 3, points: storedEpochs(1, 2, 3, 4, 5) },
      ],
      state,
    );
    expect(epochsShown(state)).toEqual([1, 2, 3, 4, 5]);
    expect(state.points).toHaveLength(10);
  });

  it("do not read the history again when a resubscription missed nothing", () => {
    const state = run([
      { type: "history", request: 1, points: [] },
      { type: "event", event: progress(3, 1) },
      { type: "event", event: metrics(4, 1) },
      // Reconnected: the current state carries the last seq already seen.
      { type: "event", event: progress(4, 1) },
    ]);
    expect(state.historyWanted).toBe(2);
    expect(state.lastSeq).toBe(4);
  });

  it("notice an epoch missing before a streamed one even when seq shows no gap", () => {
    const state = run([
      { type: "history", request: 1, points: storedEpochs(1) },
      { type: "event", event: progress(3, 2) },
      { type: "history", request: 2, points: storedEpochs(1) },
      // Epoch 2's event (seq 4) was lost with the socket; the current state sent on reconnecting
      // carries seq 4 too, so seq runs on without a gap.
      { type: "event", event: progress(4, 3) },
      { type: "event", event: metrics(5, 3) },
    ]);
    expect(state.historyWanted).toBe(3);
    // While that read is under way, later epochs do not ask again.
    expect(run([{ type: "event", event: metrics(6, 5) }], state).historyWanted).toBe(3);
  });

  it("ignore a history read that a newer one replaced, and let streamed epochs win over an older read", () => {
    let state = run([
      { type: "event", event: progress(2, 1) },
      { type: "event", event: metrics(3, 1, 0.5) },
    ]);
    expect(state.historyWanted).toBe(2);
    state = run([{ type: "history", request: 1, points: storedEpochs(1) }], state);
    expect(state.historyLoaded).toBe(false);
    state = run([{ type: "history", request: 2, points: [] }], state);
    expect(state.historyLoaded).toBe(true);
    expect(epochRows(state.points, 0)).toEqual([{ epoch: 1, values: { loss: 0.5, val_accuracy: 0.1 } }]);
  });

  it("end with the job's outcome and one last read of the history", () => {
    const done = run([
      { type: "event", event: progress(9, 6) },
      { type: "event", event: { __typename: "TrainingCompletedEvent", seq: 10 } },
    ]);
    expect(done.ended).toEqual({ status: TrainingStatus.Succeeded, reason: null });
    expect(done.progress?.status).toBe(TrainingStatus.Succeeded);
    expect(done.historyWanted).toBe(3);

    const cancelled = run([
      {
        type: "event",
        event: {
          __typename: "TrainingFailedEvent",
          seq: 4,
          status: TrainingStatus.Cancelled,
          reason: "Cancelled by ada",
        },
      },
    ]);
    expect(cancelled.ended).toEqual({ status: TrainingStatus.Cancelled, reason: "Cancelled by ada" });
  });
});
