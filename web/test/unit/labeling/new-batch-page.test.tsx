import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import NewBatchPage from "../../../src/labeling/new-batch-page";
import { fakeGraphQLServer } from "../fake-graphql-server";

afterEach(cleanup);

function Location() {
  return <output data-testid="location">{useLocation().pathname}</output>;
}

const owner = { __typename: "User", id: "u-ada", handle: "ada" };

describe("a new labelling batch", () => {
  it("starts from the dataset version it was opened for, and sends the picks as the API takes them", async () => {
    const server = fakeGraphQLServer({
      LabelingModels: () => ({
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
                    { __typename: "ModelVersion", id: "mv-2", version: "2", labels: ["cat", "dog"] },
                  ],
                },
              },
            ],
          },
        },
      }),
      TrainingDatasets: () => ({
        data: { datasets: { __typename: "DatasetConnection", totalCount: 0, edges: [] } },
      }),
      LabelingPoolVersion: () => ({
        data: {
          datasetVersion: {
            __typename: "DatasetVersion",
            id: "dv-3",
            number: 3,
            unlabeledCount: 120,
            dataset: { __typename: "Dataset", id: "ds-1", name: "pets" },
          },
        },
      }),
      CreateLabelingBatch: () => ({
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
      }),
    });
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter initialEntries={["/labeling/new?datasetVersion=dv-3"]}>
          <Routes>
            <Route path="/labeling/new" element={<NewBatchPage />} />
          </Routes>
          <Location />
        </MemoryRouter>
      </ApolloProvider>,
    );
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
    expect(server.calls.filter((call) => call.operationName === "CreateLabelingBatch")[0]?.variables).toEqual(
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
    );
  });
});
