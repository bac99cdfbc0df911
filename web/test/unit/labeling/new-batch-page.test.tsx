import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import NewBatchPage from "../../../src/labeling/new-batch-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

afterEach(cleanup);

function Location() {
  return <output data-testid="location">{useLocation().pathname}</output>;
}

const owner = { __typename: "User", id: "u-ada", handle: "ada" };

/** Pets 2, trained on `trainedOn` (null: not on a dataset here). */
const labelingModels =
  (trainedOn: { id: string; name: string } | null): Answer =>
  () => ({
    data: {
      models: {
        __typename: "ModelConnection",
        edges: [
          {
            __typename: "ModelEdge",
            node: {
              __typename: "Model",
              id: "m-1",
              slug: "pets",
              name: "Pets",
              owner,
              versions: [
                {
                  __typename: "ModelVersion",
                  id: "mv-2",
                  version: "2",
                  labels: ["cat", "dog"],
                  trainedOn: trainedOn && {
                    __typename: "DatasetVersion",
                    id: "dv-1",
                    dataset: { __typename: "Dataset", ...trainedOn },
                  },
                },
              ],
            },
          },
        ],
      },
    },
  });

const poolVersion =
  (unlabeledCount: number): Answer =>
  () => ({
    data: {
      datasetVersion: {
        __typename: "DatasetVersion",
        id: "dv-3",
        number: 3,
        unlabeledCount,
        dataset: { __typename: "Dataset", id: "ds-1", name: "pets" },
      },
    },
  });

const createdBatch: Answer = () => ({
  data: {
    createLabelingBatch: {
      __typename: "LabelingBatch",
      id: "b-9",
      strategy: "MARGIN",
      diversity: "KCENTER",
      size: 12,
      randomShare: 0.1,
      createdAt: "2026-03-02T10:00:00.000Z",
      submittedAt: null,
      modelVersion: null,
      predictionsOf: null,
      datasetVersion: null,
      resultVersion: null,
    },
  },
});

function renderPage(path: string, answers: Record<string, Answer>) {
  const server = fakeGraphQLServer({
    TrainingDatasets: () => ({
      data: { datasets: { __typename: "DatasetConnection", totalCount: 0, edges: [] } },
    }),
    CreateLabelingBatch: createdBatch,
    ...answers,
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/labeling/new" element={<NewBatchPage />} />
        </Routes>
        <Location />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const created = (server: ReturnType<typeof renderPage>) =>
  server.calls.filter((call) => call.operationName === "CreateLabelingBatch").map((call) => call.variables);

describe("a new labelling batch", () => {
  it("starts from the dataset version it was opened for, and sends the picks as the API takes them", async () => {
    const server = renderPage("/labeling/new?datasetVersion=dv-3", {
      LabelingModels: labelingModels({ id: "ds-1", name: "pets" }),
      LabelingPoolVersion: poolVersion(120),
    });
    await screen.findByText(/pets v3 has 120 unlabeled samples/);
    fireEvent.click(screen.getByRole("button", { name: "Pick the batch" }));
    expect(await screen.findByText("Choose the model whose uncertainty picks the items.")).toBeTruthy();

    await screen.findByRole("option", { name: "Pets 2 · 2 labels" });
    fireEvent.change(screen.getByLabelText(/Model version/), { target: { value: "mv-2" } });
    fireEvent.change(screen.getByLabelText("Pick by"), { target: { value: "MARGIN" } });
    fireEvent.change(screen.getByLabelText("Diversity"), { target: { value: "KCENTER" } });
    fireEvent.change(screen.getByLabelText("Items"), { target: { value: "12" } });
    fireEvent.click(screen.getByRole("button", { name: "Pick the batch" }));

    await waitFor(() => expect(screen.getByTestId("location").textContent).toBe("/labeling/batches/b-9"));
    expect(created(server)).toEqual([
      {
        input: {
          modelVersionId: "mv-2",
          pool: { datasetVersionId: "dv-3" },
          strategy: "MARGIN",
          diversity: "KCENTER",
          size: 12,
          randomShare: 0.1,
        },
      },
    ]);
  });

  it("says a dataset version without unlabeled samples has nothing to pick, and cannot be asked for", async () => {
    renderPage("/labeling/new?datasetVersion=dv-3", {
      LabelingModels: labelingModels(null),
      LabelingPoolVersion: poolVersion(0),
    });
    const warning = await screen.findByRole("alert");
    expect(warning.textContent).toMatch(
      /^pets v3 has no unlabeled samples, so there is nothing to pick from\./,
    );
    expect(screen.getByRole("button", { name: "Pick the batch" }).hasAttribute("disabled")).toBe(true);
  });

  it("takes a prediction log from the chosen model version itself, with the dataset its labels join", async () => {
    const server = renderPage("/labeling/new", {
      LabelingModels: labelingModels(null),
      Viewer: () => ({
        data: { me: { ...owner, displayName: null, email: null, role: "MEMBER" } },
      }),
      RetrainingDatasetChoices: () => ({
        data: {
          datasets: {
            __typename: "DatasetConnection",
            totalCount: 1,
            edges: [
              {
                __typename: "DatasetEdge",
                node: {
                  __typename: "Dataset",
                  id: "ds-7",
                  name: "street-pets",
                  owner,
                  latestVersion: {
                    __typename: "DatasetVersion",
                    id: "dv-70",
                    number: 2,
                    imageCount: 40,
                    classCount: 2,
                  },
                },
              },
            ],
          },
        },
      }),
    });
    await screen.findByRole("option", { name: "Pets 2 · 2 labels" });
    fireEvent.change(screen.getByLabelText(/Model version/), { target: { value: "mv-2" } });
    fireEvent.click(screen.getByRole("radio", { name: /prediction log/ }));
    // One model picker: the log is the chosen version's own.
    expect(screen.getAllByRole("combobox", { name: /model version|predictions of/i })).toHaveLength(1);

    // Pets 2 was not trained on a dataset here: where its labelled images go must be chosen.
    fireEvent.click(screen.getByRole("button", { name: "Pick the batch" }));
    expect(
      (await screen.findByRole("alert")).textContent?.includes(
        "Choose the dataset the labelled images join: this model version was not trained on a dataset here.",
      ),
    ).toBe(true);
    expect(created(server)).toEqual([]);

    await screen.findByRole("option", { name: "ada/street-pets · version 2, 40 images" });
    fireEvent.change(screen.getByLabelText(/Labelled images join/), { target: { value: "ds-7" } });
    fireEvent.click(screen.getByRole("button", { name: "Pick the batch" }));
    await waitFor(() => expect(screen.getByTestId("location").textContent).toBe("/labeling/batches/b-9"));
    expect(created(server)).toEqual([
      {
        input: {
          modelVersionId: "mv-2",
          pool: { predictionsOf: "mv-2" },
          targetDatasetId: "ds-7",
          strategy: "ENTROPY",
          diversity: "NONE",
          size: 20,
          randomShare: 0.1,
        },
      },
    ]);
  });
});
