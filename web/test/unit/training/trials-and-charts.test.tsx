import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { MonitoredMetric, TrialStatus, type TrainingTrialRowFragment } from "../../../src/gql/graphql";
import { formatLoss } from "../../../src/training/format-loss";
import { pointsOfEpoch } from "../../../src/training/metric-series";
import {
  confusionCells,
  confusionMatrixOption,
  curveChartOption,
  lossMetrics,
} from "../../../src/training/training-chart-options";
import { sortTrialsByObjective } from "../../../src/training/trial-order";
import { TrialsTable } from "../../../src/training/trials-table";

afterEach(cleanup);

function trial(
  number: number,
  status: TrialStatus,
  objective: number | null,
  learningRate: number,
): TrainingTrialRowFragment {
  return {
    number,
    status,
    objective,
    bestEpoch: objective === null ? null : 3,
    epochsRun: status === TrialStatus.Pruned ? 2 : 6,
    error: null,
    startedAt: null,
    finishedAt: null,
    params: [{ name: "learningRate", value: learningRate, choice: null }],
    metrics: [],
  };
}

const trials = [
  trial(0, TrialStatus.Succeeded, 0.42, 0.001),
  trial(1, TrialStatus.Pruned, 0.9, 0.05),
  trial(2, TrialStatus.Running, null, 0.0003),
  trial(3, TrialStatus.Succeeded, 0.31, 0.003),
];

describe("trials", () => {
  it("sort best first: lowest loss, or highest accuracy, with unscored trials last", () => {
    expect(sortTrialsByObjective(trials, MonitoredMetric.ValLoss).map((t) => t.number)).toEqual([3, 0, 1, 2]);
    expect(sortTrialsByObjective(trials, MonitoredMetric.ValAccuracy).map((t) => t.number)).toEqual([
      1, 0, 3, 2,
    ]);
  });

  it("show in a table ranked by the monitored metric, the best finished one marked", () => {
    render(<TrialsTable trials={trials} monitor={MonitoredMetric.ValLoss} />);
    const table = screen.getByRole("table", { name: "Trials sorted by validation loss, best first" });
    const rows = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole("cell")
          .map((cell) => cell.textContent),
      );
    expect(rows).toEqual([
      ["1", "Succeeded", "learningRate = 3.00e-3", "0.3100", "3", "6"],
      ["2", "Succeeded", "learningRate = 1.00e-3", "0.4200", "3", "6"],
      ["3", "Pruned", "learningRate = 0.05", "0.9000", "3", "2"],
      ["4", "Running", "learningRate = 3.00e-4", "—", "—", "6"],
    ]);
    expect(within(table).getAllByRole("rowheader")[0]?.textContent).toBe("Trial 4best");
  });
});

describe("chart options", () => {
  it("span the planned epochs and describe the latest figures for screen readers", () => {
    const points = [1, 2].flatMap((epoch) =>
      pointsOfEpoch(0, epoch, [
        { name: "loss", value: 1 / epoch },
        { name: "val_loss", value: 0.0004 },
      ]),
    );
    const option = curveChartOption(points, 0, lossMetrics, 6, "plain", "Loss per epoch");
    expect(option.xAxis).toMatchObject({ min: 1, max: 6 });
    expect(option.series).toMatchObject([
      {
        name: "Training loss",
        data: [
          [1, 1],
          [2, 0.5],
        ],
      },
      {
        name: "Validation loss",
        data: [
          [1, 0.0004],
          [2, 0.0004],
        ],
      },
    ]);
    expect(option.aria).toEqual({
      enabled: true,
      label: {
        description:
          "Loss per epoch. Latest: training loss 0.5000 at epoch 2, validation loss 4.0e-4 at epoch 2.",
      },
    });
    expect(formatLoss(0)).toBe("0.0000");
  });

  it("lay the confusion matrix out as heatmap cells and name the commonest mistakes", () => {
    const report = {
      labels: ["cat", "dog", "fox"],
      confusionMatrix: [
        [5, 1, 0],
        [3, 4, 0],
        [0, 0, 2],
      ],
    };
    expect(confusionCells(report).filter(([, , count]) => count > 0)).toEqual([
      [0, 0, 5],
      [1, 0, 1],
      [0, 1, 3],
      [1, 1, 4],
      [2, 2, 2],
    ]);
    const option = confusionMatrixOption(report, "Confusion matrix");
    expect(option.visualMap).toMatchObject({ min: 0, max: 5 });
    expect(option.aria).toMatchObject({
      label: {
        description:
          "Confusion matrix. 11 of 15 samples classified right; most confused: 3 dog taken for cat, 1 cat taken for dog.",
      },
    });
  });
});
