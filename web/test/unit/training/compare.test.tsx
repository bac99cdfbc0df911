import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChartOption } from "../../../src/ui/chart";
import ComparePage from "../../../src/training/compare/compare-page";
import {
  overlaidCurvesOption,
  parallelAxes,
  parallelOption,
} from "../../../src/training/compare/compare-chart-options";
import {
  comparedTrials,
  differingOptions,
  initialSelection,
  metricAtBest,
  type ComparedJob,
} from "../../../src/training/compare/compared-trials";
import { comparedJobs } from "./comparison-fixtures";
import { fakeTrainingServer } from "./fake-training-server";

// ECharts needs a real canvas: the charts show their options as JSON for the test to read.
vi.mock("../../../src/ui/chart", () => ({
  Chart: ({ label, option }: { label: string; option: ChartOption }) => (
    <div role="img" aria-label={label} data-option={JSON.stringify(option)} />
  ),
}));

afterEach(cleanup);

const jobs = [comparedJobs.a, comparedJobs.b] as unknown as ComparedJob[];

describe("compared trials", () => {
  const trials = comparedTrials(jobs);

  it("list every trial, each job's best first, with the job's options under the trial's own values", () => {
    expect(
      trials.map((trial) => [trial.label, trial.parameters.learningRate, trial.parameters.optimizer]),
    ).toEqual([
      ["ada/colours · trial 2", 0.001, "ADAM"],
      ["ada/colours · trial 1", 0.01, "ADAM"],
      ["ada/colours #2 · trial 1", 0.001, "SGD"],
    ]);
    expect(initialSelection(trials)).toEqual(["job-a:1", "job-b:0"]);
    expect(differingOptions(trials)).toEqual(["learningRate", "optimizer"]);
    expect(differingOptions([trials[0]!, trials[2]!])).toEqual(["optimizer"]);
    // val_loss of job a's trial 1 at its best epoch (2): 1/2 + 0.1 + 0.1.
    expect(metricAtBest(trials[0]!, "val_loss")).toBeCloseTo(0.7, 12);
    expect(metricAtBest(trials[0]!, "loss")).toBeNull();
  });

  it("overlay the selected trials' curves, a colour per job", () => {
    const option = overlaidCurvesOption([trials[0]!, trials[2]!], "val_accuracy", "Accuracy");
    expect(option.series).toMatchObject([
      {
        name: "ada/colours · trial 2",
        data: [
          [1, 0.15],
          [2, 0.4],
          [3, 0.65],
        ],
        lineStyle: { color: "#1f5fbf" },
      },
      {
        name: "ada/colours #2 · trial 1",
        data: [
          [1, 0.25],
          [2, 0.5],
          [3, 0.75],
        ],
        lineStyle: { color: "#d55e00" },
      },
    ]);
    expect(option.yAxis).toMatchObject({ min: 0, max: 1 });
  });

  it("draw every trial through the differing options and the metrics in parallel coordinates", () => {
    const axes = parallelAxes(trials, differingOptions(trials));
    expect(axes.map((axis) => [axis.name, axis.categories])).toEqual([
      ["learningRate", null],
      ["optimizer", ["ADAM", "SGD"]],
      ["val_loss", null],
      ["val_accuracy", null],
    ]);
    const option = parallelOption(trials, axes, new Set(["job-b:0"]), "All") as unknown as {
      parallelAxis: Array<{ type: string; data?: string[] }>;
      series: Array<{
        type: string;
        data: Array<{ name: string; value: unknown[]; lineStyle: { width: number } }>;
      }>;
    };
    expect(option.parallelAxis.map((axis) => axis.type)).toEqual(["value", "category", "value", "value"]);
    const [series] = option.series;
    expect(series!.type).toBe("parallel");
    expect(series!.data.map((line) => [line.name, line.value, line.lineStyle.width])).toEqual([
      ["ada/colours · trial 2", [0.001, "ADAM", expect.closeTo(0.7, 12), 0.4], 1],
      ["ada/colours · trial 1", [0.01, "ADAM", expect.closeTo(0.6, 12), 0.4], 1],
      ["ada/colours #2 · trial 1", [0.001, "SGD", 0.5, 0.5], 3],
    ]);
  });
});

describe("the comparison page", () => {
  function renderPage(ids: string) {
    const server = fakeTrainingServer({
      TrainingComparisonJob: ({ id }) => ({
        data: { trainingJob: id === "job-a" ? comparedJobs.a : id === "job-b" ? comparedJobs.b : null },
      }),
    });
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter initialEntries={[`/training/compare?jobs=${ids}`]}>
          <Routes>
            <Route path="/training/compare" element={<ComparePage />} />
          </Routes>
        </MemoryRouter>
      </ApolloProvider>,
    );
    return server;
  }
  const tableRows = () =>
    within(screen.getByRole("table", { name: /Parameters and metrics of the selected trials/ }))
      .getAllByRole("row")
      .map((row) => [...row.children].map((cell) => cell.textContent));

  it("starts with each job's best trial, and follows the trials picked", async () => {
    renderPage("job-a,job-b,gone");
    await screen.findByRole("table", { name: /Parameters and metrics/ });
    expect(screen.getByRole("status").textContent).toBe(
      "One job could not be found: deleted, or you cannot see it.",
    );
    expect(tableRows()).toEqual([
      ["Trial", "Status", "optimizer", "Best epoch", "loss", "val_loss", "accuracy", "val_accuracy"],
      ["ada/colours · trial 2", "Succeeded", "ADAM", "2", "—", "0.7000", "—", "40.0%"],
      ["ada/colours #2 · trial 1", "Succeeded", "SGD", "2", "—", "0.5000", "—", "50.0%"],
    ]);
    fireEvent.click(screen.getByRole("checkbox", { name: "ada/colours · trial 1" }));
    expect(tableRows().map((row) => row.slice(0, 4))).toEqual([
      ["Trial", "Status", "learningRate", "optimizer"],
      ["ada/colours · trial 2", "Succeeded", "1.00e-3", "ADAM"],
      ["ada/colours · trial 1", "Succeeded", "0.01", "ADAM"],
      ["ada/colours #2 · trial 1", "Succeeded", "1.00e-3", "SGD"],
    ]);
    const curves = JSON.parse(
      screen
        .getByRole("img", { name: "Validation loss of the selected trials" })
        .getAttribute("data-option")!,
    ) as { series: Array<{ name: string }> };
    expect(curves.series.map((series) => series.name)).toHaveLength(3);
    expect(screen.getByRole("img", { name: /parallel coordinates/ })).toBeTruthy();
  });
});
