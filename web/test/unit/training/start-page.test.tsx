import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import StartTrainingPage from "../../../src/training/start-training-page";
import { fakeTrainingServer, type Answer } from "./fake-training-server";

afterEach(cleanup);

const user = (id: string, handle: string) => ({ __typename: "User", id, handle });

const answers: Record<string, Answer> = {
  TrainingDatasets: () => ({
    data: {
      datasets: {
        __typename: "DatasetConnection",
        totalCount: 1,
        edges: [
          {
            __typename: "DatasetEdge",
            node: {
              __typename: "Dataset",
              id: "ds-1",
              name: "colours",
              owner: user("user-1", "ada"),
              versions: [
                { __typename: "DatasetVersion", id: "dv-1", number: 1, imageCount: 24, classCount: 3 },
              ],
            },
          },
        ],
      },
    },
  }),
  TrainingDatasetVersion: () => ({
    data: {
      datasetVersion: {
        __typename: "DatasetVersion",
        id: "dv-1",
        number: 1,
        imageCount: 24,
        classCount: 3,
        classes: ["blue", "green", "red"].map((name) => ({ __typename: "ClassCount", name, count: 8 })),
        dataset: { __typename: "Dataset", id: "ds-1", name: "colours", owner: user("user-1", "ada") },
      },
    },
  }),
  TrainingBaseModels: () => ({
    data: {
      featureEmbedder: {
        __typename: "Model",
        id: "embedder",
        name: "Feature embedder (built-in)",
        versions: [{ __typename: "ModelVersion", id: "embedder-v1", version: "v1", number: 1 }],
      },
      models: { __typename: "ModelConnection", totalCount: 0, edges: [] },
    },
  }),
};

function renderStartPage(extra: Record<string, Answer>) {
  const server = fakeTrainingServer({ ...answers, ...extra });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/training/new"]}>
        <Routes>
          <Route path="/training/new" element={<StartTrainingPage />} />
          <Route path="/training/jobs/:jobId" element={<p>job page</p>} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

async function fillBasics() {
  await waitFor(() =>
    expect((screen.getByLabelText(/^Base model/) as HTMLSelectElement).value).toBe("embedder-v1"),
  );
  fireEvent.change(await screen.findByLabelText(/^Dataset version/), { target: { value: "dv-1" } });
  await screen.findByRole("list", { name: "Classes of the chosen version" });
  fireEvent.change(screen.getByLabelText(/^Target model/), { target: { value: "colours" } });
}

const starts = (server: ReturnType<typeof fakeTrainingServer>) =>
  server.calls.filter((call) => call.operationName === "StartTraining");

/** The text of the problem an input points at with aria-describedby. */
function problemOf(input: HTMLElement): string {
  const ids = (input.getAttribute("aria-describedby") ?? "").split(" ");
  return ids
    .map((id) => document.getElementById(id))
    .filter((element) => element?.getAttribute("role") === "alert")
    .map((element) => element?.textContent?.trim())
    .join(" ");
}

describe("the start form", () => {
  it("checks a field when it is left, and starts nothing while a field is wrong", async () => {
    const server = renderStartPage({});
    await fillBasics();
    const learningRate = screen.getByLabelText("Learning rate");
    fireEvent.change(learningRate, { target: { value: "0" } });
    expect(learningRate.getAttribute("aria-invalid")).toBeNull();
    fireEvent.blur(learningRate);
    expect(learningRate.getAttribute("aria-invalid")).toBe("true");
    expect(problemOf(learningRate)).toBe("learningRate must be greater than 0");

    fireEvent.change(screen.getByLabelText("Validation split"), { target: { value: "1.5" } });
    fireEvent.click(screen.getByRole("button", { name: "Start training" }));
    expect(await screen.findByText(/2 fields need a change before the job can start/)).toBeTruthy();
    expect(problemOf(screen.getByLabelText("Validation split"))).toBe(
      "validationSplit must be greater than 0 and less than 1",
    );
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("Validation split")));
    expect(starts(server)).toHaveLength(0);
  });

  it("shows the server's refusal next to the field it names, and clears it once the field changes", async () => {
    const server = renderStartPage({
      StartTraining: () => ({
        errors: [
          {
            message: "epochs must be from 1 to 1000 (the server's limit, TESSERA_MAX_EPOCHS), got 5000",
            extensions: { code: "BAD_USER_INPUT", field: "epochs" },
          },
        ],
      }),
    });
    await fillBasics();
    fireEvent.change(screen.getByLabelText("Epochs"), { target: { value: "5000" } });
    fireEvent.click(screen.getByRole("button", { name: "Start training" }));

    const epochs = screen.getByLabelText("Epochs");
    await waitFor(() => expect(epochs.getAttribute("aria-invalid")).toBe("true"));
    expect(problemOf(epochs)).toBe(
      "BAD_USER_INPUT epochs must be from 1 to 1000 (the server's limit, TESSERA_MAX_EPOCHS), got 5000",
    );
    expect(
      screen.getByText(/The server refused the job: its reason is shown next to the field concerned/),
    ).toBeTruthy();
    expect(starts(server)[0]?.variables.input).toMatchObject({
      datasetVersionId: "dv-1",
      baseModelVersionId: "embedder-v1",
      targetModelSlug: "colours",
      epochs: 5000,
    });

    fireEvent.change(epochs, { target: { value: "50" } });
    expect(epochs.getAttribute("aria-invalid")).toBeNull();
  });

  it("puts the server's problem with a search dimension on that row of the space", async () => {
    renderStartPage({
      StartTraining: () => ({
        errors: [
          {
            message: "hpSpace[1] (dropout): empty range: min 0.3 is greater than max 0.2",
            extensions: { code: "BAD_USER_INPUT", field: "hpSpace[1]" },
          },
        ],
      }),
    });
    await fillBasics();
    fireEvent.click(screen.getByLabelText(/^Search hyperparameters/));
    const rows = screen.getAllByRole("group", { name: /^Search dimension/ });
    expect(rows).toHaveLength(3);
    fireEvent.click(screen.getByRole("button", { name: "Start training" }));
    await screen.findByText(/empty range: min 0.3 is greater than max 0.2/);
    const dropoutRow = screen.getByRole("group", { name: "Search dimension 2" });
    expect(dropoutRow.textContent).toContain("BAD_USER_INPUT hpSpace[1] (dropout): empty range");
  });

  it("opens the new job's page once the server queued it", async () => {
    renderStartPage({
      StartTraining: () => ({
        data: {
          startTraining: {
            __typename: "TrainingJob",
            id: "job-9",
            status: "QUEUED",
            progress: 0,
            currentEpoch: 0,
            totalEpochs: 20,
            targetModelSlug: "colours",
            cancelRequested: false,
            createdAt: "2026-01-01T10:00:00.000Z",
            startedAt: null,
            finishedAt: null,
            owner: user("user-1", "ada"),
            datasetVersion: null,
            baseModelVersion: null,
            resultModelVersion: null,
          },
        },
      }),
    });
    await fillBasics();
    fireEvent.click(screen.getByRole("button", { name: "Start training" }));
    expect(await screen.findByText("job page")).toBeTruthy();
  });
});
