import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EvaluationReportFieldsFragment } from "../../../src/gql/graphql";
import { EvaluationReport } from "../../../src/training/evaluation-report";
import { ReportLinks } from "../../../src/training/report-links";
import TrainingJobsPage from "../../../src/training/training-jobs-page";
import { jobRow } from "./comparison-fixtures";
import { fakeTrainingServer, type Answer } from "./fake-training-server";

// ECharts needs a real canvas: the stand-in "clicks" a cell the way ECharts reports one.
vi.mock("../../../src/ui/chart", () => ({
  Chart: ({
    label,
    onPointClick,
  }: {
    label: string;
    onPointClick?: (event: { value: number[] }) => void;
  }) => <button type="button" aria-label={label} onClick={() => onPointClick?.({ value: [0, 1, 1] })} />,
}));

afterEach(cleanup);

const report: EvaluationReportFieldsFragment = {
  split: "validation",
  accuracy: 0.8,
  loss: 0.4,
  count: 10,
  calibrationError: 0.05,
  labels: ["blue", "red"],
  confusionMatrix: [
    [4, 1],
    [3, 2],
  ],
  perClass: [],
};

const sample = (id: string, confidence: number) => ({
  __typename: "MisclassifiedSample",
  actual: "red",
  predicted: "blue",
  confidence,
  split: "VALIDATION",
  sample: {
    __typename: "Sample",
    id,
    originalPath: `red/${id}.png`,
    thumbnailUrl: `http://gateway/files/samples/${id}/thumbnail?signature=s`,
    imageUrl: `http://gateway/files/samples/${id}/image?signature=s`,
  },
});

function renderWith(answers: Record<string, Answer>, element: React.ReactNode) {
  const server = fakeTrainingServer(answers);
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/training"]}>
        <Routes>
          <Route path="/training" element={element} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

describe("a confusion-matrix cell", () => {
  const answers = {
    MisclassifiedSamples: () => ({
      data: {
        trainingJob: {
          __typename: "TrainingJob",
          id: "job-1",
          misclassified: [sample("s1", 0.97), sample("s2", 0.8)],
        },
      },
    }),
  };

  it("opens its samples, most confident mistake first, from the matrix or the list of mistakes", async () => {
    const server = renderWith(answers, <EvaluationReport report={report} jobId="job-1" />);
    const mistakes = screen.getByRole("list", { name: "Mistakes on the validation split" });
    expect(
      within(mistakes)
        .getAllByRole("button")
        .map((button) => button.textContent),
    ).toEqual(["red → blue: 3", "blue → red: 1"]);
    fireEvent.click(screen.getByRole("button", { name: /Confusion matrix on the validation split/ }));
    const grid = await screen.findByRole("list", { name: "red taken for blue, most confident first" });
    const items = within(grid).getAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual(["97.0%red/s1.png", "80.0%red/s2.png"]);
    expect(within(items[0]!).getByRole("img").getAttribute("src")).toBe(
      "http://gateway/files/samples/s1/thumbnail?signature=s",
    );
    expect(server.calls.find((call) => call.operationName === "MisclassifiedSamples")?.variables).toEqual({
      id: "job-1",
      actual: "red",
      predicted: "blue",
      split: "VALIDATION",
      first: 50,
    });
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("list", { name: /taken for/ })).toBeNull();
    fireEvent.click(within(mistakes).getByRole("button", { name: "blue → red: 1" }));
    await screen.findByRole("region", { name: "blue taken for red, most confident first" });
  });
});

describe("the report", () => {
  it("is asked for on demand and links the HTML page, its JSON and each chart's PNG", async () => {
    const base = "http://gateway/files/training-jobs/job-1/report";
    renderWith(
      {
        TrainingJobReport: () => ({
          data: {
            trainingJob: {
              __typename: "TrainingJob",
              id: "job-1",
              report: {
                __typename: "TrainingReport",
                htmlUrl: `${base}.html?signature=s`,
                jsonUrl: `${base}.json?signature=s`,
                pngUrls: [`${base}/loss.png?signature=s`, `${base}/confusion-matrix.png?signature=s`],
                generatedAt: "2026-01-01T10:02:00.000Z",
              },
            },
          },
        }),
      },
      <ReportLinks jobId="job-1" />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Get the report" }));
    const link = await screen.findByRole("link", { name: "Open the report" });
    expect(link.getAttribute("href")).toBe(`${base}.html?signature=s`);
    expect(screen.getByRole("link", { name: "JSON" }).getAttribute("href")).toBe(`${base}.json?signature=s`);
    const charts = within(screen.getByRole("list", { name: "Charts as PNG" })).getAllByRole("link");
    expect(charts.map((chart) => chart.textContent)).toEqual(["loss", "confusion matrix"]);
  });
});

describe("the training list", () => {
  it("shows each job's final metric and links the jobs ticked for comparison", async () => {
    renderWith(
      {
        TrainingJobs: () => ({
          data: {
            trainingJobs: {
              __typename: "TrainingJobConnection",
              totalCount: 2,
              pageInfo: { __typename: "PageInfo", endCursor: null, hasNextPage: false },
              edges: [
                {
                  __typename: "TrainingJobEdge",
                  node: jobRow("job-2", "shapes", { name: "val_accuracy", value: 0.925 }),
                },
                { __typename: "TrainingJobEdge", node: jobRow("job-1", "colours", null) },
              ],
            },
          },
        }),
      },
      <TrainingJobsPage />,
    );
    const table = await screen.findByRole("table", { name: "Training jobs, newest first" });
    const finalMetrics = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((row) => within(row).getAllByRole("cell").at(-2)!.textContent);
    expect(finalMetrics).toEqual(["validation accuracy 92.5%", "—"]);
    expect(screen.queryByRole("link", { name: /^Compare/ })).toBeNull();
    const boxes = within(table).getAllByRole("checkbox");
    fireEvent.click(boxes[1]!);
    fireEvent.click(boxes[0]!);
    await waitFor(() =>
      expect(screen.getByRole("link", { name: "Compare 2 jobs" }).getAttribute("href")).toBe(
        "/training/compare?jobs=job-1%2Cjob-2",
      ),
    );
  });
});
