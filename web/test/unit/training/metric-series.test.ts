import { describe, expect, it } from "vitest";
import {
  epochRows,
  mergePoints,
  metricCurve,
  pointsOfEpoch,
  trialsWithPoints,
} from "../../../src/training/metric-series";

const epoch = (trial: number, number: number, loss: number, accuracy: number) =>
  pointsOfEpoch(trial, number, [
    { name: "loss", value: loss },
    { name: "accuracy", value: accuracy },
  ]);

describe("metric series", () => {
  it("merges history and streamed epochs into one point per trial, epoch and metric, in order", () => {
    const history = [...epoch(0, 1, 1.2, 0.4), ...epoch(0, 2, 0.9, 0.55)];
    // The stream repeats epoch 2 (it arrived while the history was read) and adds epoch 3.
    const streamed = [...epoch(0, 3, 0.7, 0.7), ...epoch(0, 2, 0.9, 0.55)];
    const merged = mergePoints(history, streamed);
    expect(merged.map((point) => `${point.trial}/${point.epoch}/${point.name}=${point.value}`)).toEqual([
      "0/1/accuracy=0.4",
      "0/1/loss=1.2",
      "0/2/accuracy=0.55",
      "0/2/loss=0.9",
      "0/3/accuracy=0.7",
      "0/3/loss=0.7",
    ]);
    expect(metricCurve(merged, 0, "loss")).toEqual([
      [1, 1.2],
      [2, 0.9],
      [3, 0.7],
    ]);
  });

  it("keeps the incoming value of an epoch a resumed run redid", () => {
    const merged = mergePoints(epoch(0, 1, 1.2, 0.4), epoch(0, 1, 1.1, 0.45));
    expect(epochRows(merged, 0)).toEqual([{ epoch: 1, values: { loss: 1.1, accuracy: 0.45 } }]);
  });

  it("returns the same array when nothing new came, so a chart fed from it does not redraw", () => {
    const points = [...epoch(0, 1, 1.2, 0.4), ...epoch(0, 2, 0.9, 0.55)];
    expect(mergePoints(points, epoch(0, 2, 0.9, 0.55))).toBe(points);
    expect(mergePoints(points, [])).toBe(points);
  });

  it("keeps trials apart: the same epoch of two trials is two points", () => {
    const merged = mergePoints(epoch(0, 1, 1.0, 0.5), epoch(1, 1, 2.0, 0.3));
    expect(trialsWithPoints(merged)).toEqual([0, 1]);
    expect(metricCurve(merged, 1, "loss")).toEqual([[1, 2.0]]);
    expect(epochRows(merged, 0)).toEqual([{ epoch: 1, values: { loss: 1.0, accuracy: 0.5 } }]);
  });
});
