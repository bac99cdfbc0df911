import { describe, expect, it } from "vitest";
import { JobStatus } from "../../../src/gql/graphql";
import {
  initialLiveReconstruction,
  liveReconstructionReducer,
  mergeSteps,
  type ReconstructionEvent,
} from "../../../src/reconstructions/live-reconstruction";

const step = (seq: number, at: number, loss: number, psnr: number | null = null): ReconstructionEvent => ({
  __typename: "ReconstructionStepEvent",
  seq,
  step: at,
  totalSteps: 40,
  loss,
  psnr,
});
const preview = (seq: number, at: number): ReconstructionEvent => ({
  __typename: "ReconstructionPreviewEvent",
  seq,
  step: at,
  url: `/files/preview-${at}.png`,
});

const fold = (events: ReconstructionEvent[]) =>
  events.reduce(liveReconstructionReducer, initialLiveReconstruction);

describe("the live reconstruction state", () => {
  it("keeps one point per step in step order, whatever order and repeats the stream brings", () => {
    const state = fold([step(1, 10, 0.5), step(3, 30, 0.2, 18.5), step(2, 20, 0.3), step(3, 30, 0.2, 18.5)]);
    expect(state.points).toEqual([
      { step: 10, loss: 0.5, psnr: null },
      { step: 20, loss: 0.3, psnr: null },
      { step: 30, loss: 0.2, psnr: 18.5 },
    ]);
    expect([state.totalSteps, state.lastSeq]).toEqual([40, 3]);
  });

  it("shows the newest preview even when an older one arrives late", () => {
    expect(fold([preview(5, 250), preview(4, 0)]).preview).toEqual({
      url: "/files/preview-250.png",
      step: 250,
    });
  });

  it("takes status and progress from state events, ignoring one older than what it has", () => {
    const state = fold([
      {
        __typename: "ReconstructionStateEvent",
        seq: 7,
        status: JobStatus.Succeeded,
        progress: 1,
        error: null,
      },
      {
        __typename: "ReconstructionStateEvent",
        seq: 6,
        status: JobStatus.Running,
        progress: 0.9,
        error: null,
      },
    ]);
    expect([state.status, state.progress]).toEqual([JobStatus.Succeeded, 1]);
  });

  it("merges the stored curve with live steps: one point per step, the live one winning, in step order", () => {
    const stored = [
      { step: 10, loss: 0.5, psnr: 12 },
      { step: 20, loss: 0.25, psnr: null },
    ];
    const live = [
      { step: 20, loss: 0.2, psnr: 15 },
      { step: 30, loss: 0.1, psnr: null },
    ];
    expect(mergeSteps(stored, live)).toEqual([
      { step: 10, loss: 0.5, psnr: 12 },
      { step: 20, loss: 0.2, psnr: 15 },
      { step: 30, loss: 0.1, psnr: null },
    ]);
    expect(mergeSteps(stored, [])).toEqual(stored);
  });
});
