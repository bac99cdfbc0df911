import { ApolloProvider } from "@apollo/client/react";
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import TrainingJobPage from "../../../src/training/training-job-page";
import { fakeTrainingServer } from "./fake-training-server";

// ECharts needs a real canvas; the figures under test are in the epoch table and the counts.
vi.mock("../../../src/ui/chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

afterEach(cleanup);

const options = {
  __typename: "TrainingOptions",
  learningRate: 0.001,
  epochs: 6,
  batchSize: 32,
  validationSplit: 0.2,
  seed: 42,
  useTransferLearning: true,
  freezeBaseModel: true,
  featureOutput: null,
  trainableLayersCount: 1,
  hiddenUnits: 128,
  dropout: 0.2,
  optimizer: "ADAM",
  momentum: 0.9,
  weightDecay: 0,
  lrSchedule: "CONSTANT",
  lrStepSize: 10,
  lrGamma: 0.1,
  lrPlateauPatience: 3,
  lrPlateauFactor: 0.5,
  enableEarlyStopping: true,
  patience: 5,
  minDelta: 0,
  monitor: "VAL_LOSS",
  enableDataAugmentation: false,
  augmentedCopies: 2,
  classWeighting: "NONE",
  classWeights: [],
  enableHyperparameterTuning: false,
  strategy: "BAYESIAN",
  maxTrials: 10,
  pruneTrials: true,
  hpSpace: [],
};

const evaluation = {
  __typename: "EvaluationReport",
  split: "validation",
  accuracy: 0.9,
  loss: 0.31,
  count: 10,
  calibrationError: 0.042,
  labels: ["blue", "red"],
  confusionMatrix: [
    [5, 0],
    [1, 4],
  ],
  perClass: [
    { __typename: "ClassMetrics", label: "blue", precision: 0.833, recall: 1, f1: 0.909, support: 5 },
    { __typename: "ClassMetrics", label: "red", precision: 1, recall: 0.8, f1: 0.889, support: 5 },
  ],
};

function job(status: string, finished: boolean) {
  return {
    __typename: "TrainingJob",
    id: "job-1",
    status,
    progress: finished ? 1 : 0.3,
    currentEpoch: finished ? 6 : 2,
    totalEpochs: 6,
    targetModelSlug: "colours",
    cancelRequested: false,
    createdAt: "2026-01-01T10:00:00.000Z",
    startedAt: "2026-01-01T10:00:01.000Z",
    finishedAt: finished ? "2026-01-01T10:01:00.000Z" : null,
    attempts: 1,
    error: null,
    labels: ["blue", "red"],
    owner: { __typename: "User", id: "user-1", handle: "ada" },
    datasetVersion: {
      __typename: "DatasetVersion",
      id: "dv-1",
      number: 1,
      dataset: { __typename: "Dataset", id: "ds-1", name: "colours" },
    },
    baseModelVersion: {
      __typename: "ModelVersion",
      id: "embedder-v1",
      version: "v1",
      model: {
        __typename: "Model",
        id: "embedder",
        slug: "feature-embedder",
        name: "Feature embedder (built-in)",
        owner: { __typename: "User", id: "system", handle: "system" },
      },
    },
    resultModelVersion: finished
      ? {
          __typename: "ModelVersion",
          id: "colours-v1",
          version: "v1",
          model: {
            __typename: "Model",
            id: "colours",
            slug: "colours",
            owner: { __typename: "User", id: "user-1", handle: "ada" },
          },
        }
      : null,
    splitCounts: { __typename: "SplitCounts", train: 40, validation: 10, test: 0, validationFrom: "drawn" },
    options,
    trials: [],
    evaluation: finished ? evaluation : null,
    testEvaluation: null,
  };
}

const stored = (...epochs: number[]) =>
  epochs.flatMap((epoch) =>
    ["loss", "val_loss", "accuracy", "val_accuracy"].map((name) => ({
      __typename: "TrainingMetricPoint",
      trial: 0,
      epoch,
      name,
      value: name.includes("loss") ? 1 / epoch : epoch / 10,
    })),
  );

const progressEvent = (seq: number, epoch: number) => ({
  trainingProgress: {
    __typename: "TrainingProgressEvent",
    seq,
    status: "RUNNING",
    phase: "TRAINING",
    trial: 0,
    epoch,
    totalEpochs: 6,
    step: 1,
    totalSteps: 4,
    progress: epoch / 6,
  },
});

const metricsEvent = (seq: number, epoch: number) => ({
  trainingProgress: {
    __typename: "TrainingMetricsEvent",
    seq,
    trial: 0,
    epoch,
    values: stored(epoch).map(({ name, value }) => ({ __typename: "MetricValue", name, value })),
  },
});

function renderJobPage() {
  const state = { status: "RUNNING", finished: false, history: stored(1, 2) };
  const server = fakeTrainingServer({
    TrainingJobDetail: () => ({ data: { trainingJob: job(state.status, state.finished) } }),
    TrainingJobMetrics: () => ({
      data: { trainingJob: { __typename: "TrainingJob", id: "job-1", metrics: state.history } },
    }),
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/training/jobs/job-1"]}>
        <Routes>
          <Route path="/training/jobs/:jobId" element={<TrainingJobPage />} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return { server, state };
}

const recorded = () => screen.getByTestId("epochs-recorded").textContent;
const metricReads = (server: ReturnType<typeof fakeTrainingServer>) =>
  server.calls.filter((call) => call.operationName === "TrainingJobMetrics").length;

describe("a training job's page", () => {
  it("draws the stored epochs, grows with live ones, and catches up after a lost subscription", async () => {
    const { server, state } = renderJobPage();
    await waitFor(() => expect(recorded()).toBe("2 of 6 epochs recorded"));
    expect(server.subscriptions).toHaveLength(1);

    // The stream opens with the job's current state, then epoch 3 ends.
    state.history = stored(1, 2);
    act(() => server.push(progressEvent(9, 3)));
    state.history = stored(1, 2, 3);
    act(() => server.push(metricsEvent(10, 3)));
    await waitFor(() => expect(recorded()).toBe("3 of 6 epochs recorded"));
    expect(screen.getByText("Epoch 3 of 6.")).toBeTruthy();

    // The subscription fails; epochs 4 and 5 end while it is down.
    const readsBefore = metricReads(server);
    act(() => server.dropAll());
    await screen.findByText(/Live updates were interrupted/);
    state.history = stored(1, 2, 3, 4, 5);
    // Restarted after the backoff, it opens with the current state, whose seq shows the gap.
    await waitFor(() => expect(server.subscriptions).toHaveLength(1), { timeout: 3000 });
    act(() => server.push(progressEvent(16, 6)));
    await waitFor(() => expect(recorded()).toBe("5 of 6 epochs recorded"));
    expect(metricReads(server)).toBeGreaterThan(readsBefore);
    expect(screen.queryByText(/Live updates were interrupted/)).toBeNull();

    const table = screen.getByRole("table", { name: "Metrics per epoch" });
    const epochs = within(table)
      .getAllByRole("rowheader")
      .map((cell) => cell.textContent);
    expect(epochs).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("shows the evaluation and links the registered model once the job completes", async () => {
    const { server, state } = renderJobPage();
    await waitFor(() => expect(recorded()).toBe("2 of 6 epochs recorded"));
    act(() => server.push(progressEvent(20, 6)));
    state.history = stored(1, 2, 3, 4, 5, 6);
    state.status = "SUCCEEDED";
    state.finished = true;
    act(() => server.push({ trainingProgress: { __typename: "TrainingCompletedEvent", seq: 21 } }));

    await screen.findByRole("link", { name: "Open model version v1" });
    expect(screen.getByRole("link", { name: "Open model version v1" }).getAttribute("href")).toBe(
      "/models/ada/colours/versions/v1",
    );
    await waitFor(() => expect(recorded()).toBe("6 of 6 epochs recorded"));
    expect(screen.getByText("Finished: the model is registered.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Cancel job" })).toBeNull();

    const perClass = screen.getByRole("table", { name: /Precision, recall and F1 per class/ });
    expect(
      within(perClass)
        .getAllByRole("row")
        .map((row) => row.textContent),
    ).toEqual(["ClassPrecisionRecallF1Samples", "blue83.3%100.0%90.9%5", "red100.0%80.0%88.9%5"]);
    expect(screen.getByText("4.2%")).toBeTruthy();
    expect(screen.getByRole("img", { name: /Confusion matrix on the validation split/ })).toBeTruthy();
  });

  it("says why no version was registered in the words of the job's status: still running, then cancelled", async () => {
    const { server, state } = renderJobPage();
    const lineage = await screen.findByRole("region", { name: "Lineage" });
    const resulting = () => within(lineage).getByText("Resulting version").nextElementSibling?.textContent;
    await waitFor(() => expect(resulting()).toBe("registered when the job succeeds"));

    state.status = "CANCELLED";
    act(() =>
      server.push({
        trainingProgress: {
          __typename: "TrainingFailedEvent",
          seq: 30,
          status: "CANCELLED",
          reason: "Cancelled by ada",
        },
      }),
    );
    await waitFor(() => expect(resulting()).toBe("none: the job was cancelled, so nothing was registered"));
    expect(within(lineage).queryByText("registered when the job succeeds")).toBeNull();
  });
});
