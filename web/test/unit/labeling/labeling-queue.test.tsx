import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import BatchPage from "../../../src/labeling/batch-page";
import { fakeGraphQLServer } from "../fake-graphql-server";

afterEach(cleanup);

const scores = (cat: number, dog: number, fox: number) =>
  [
    { __typename: "LabelScore", label: "cat", score: cat },
    { __typename: "LabelScore", label: "dog", score: dog },
    { __typename: "LabelScore", label: "fox", score: fox },
  ].sort((a, b) => b.score - a.score);

const item = (id: string, random: boolean, predictions: ReturnType<typeof scores>) => ({
  __typename: "LabelingItem",
  id,
  uncertainty: random ? 0.21 : 0.97,
  random,
  label: null,
  sample: {
    __typename: "Sample",
    id: `sample-${id}`,
    originalPath: `_unlabeled/${id}.png`,
    imageUrl: `http://gateway.test/files/samples/${id}`,
  },
  prediction: { __typename: "Prediction", id: `p-${id}`, imageUrl: null, predictions },
});

const batch = {
  __typename: "LabelingBatch",
  id: "b-1",
  strategy: "ENTROPY",
  diversity: "KCENTER",
  size: 3,
  randomShare: 0.34,
  createdAt: "2026-03-02T10:00:00.000Z",
  submittedAt: null,
  modelVersion: {
    __typename: "ModelVersion",
    id: "mv-1",
    version: "2",
    model: {
      __typename: "Model",
      id: "m-1",
      name: "Pets",
      slug: "pets",
      owner: { __typename: "User", id: "u-ada", handle: "ada" },
    },
  },
  predictionsOf: null,
  datasetVersion: {
    __typename: "DatasetVersion",
    id: "dv-3",
    number: 3,
    dataset: { __typename: "Dataset", id: "ds-1", name: "pets" },
  },
  resultVersion: null,
  labels: ["cat", "dog", "fox"],
  items: [
    item("i1", false, scores(0.4, 0.35, 0.25)),
    item("i2", false, scores(0.3, 0.36, 0.34)),
    item("i3", true, scores(0.05, 0.9, 0.05)),
  ],
};

function renderBatch() {
  const server = fakeGraphQLServer({
    LabelingBatch: () => ({ data: { labelingBatch: batch } }),
    LabelingBatches: () => ({
      data: {
        labelingBatches: {
          __typename: "LabelingBatchConnection",
          pageInfo: { __typename: "PageInfo", endCursor: null, hasNextPage: false },
          edges: [],
        },
      },
    }),
    SubmitLabels: () => ({
      data: {
        submitLabels: {
          __typename: "DatasetVersion",
          id: "dv-4",
          number: 4,
          imageCount: 9,
          unlabeledCount: 7,
          dataset: { __typename: "Dataset", id: "ds-1", name: "pets" },
        },
      },
    }),
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/labeling/batches/b-1"]}>
        <Routes>
          <Route path="/labeling/batches/:batchId" element={<BatchPage />} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const press = (key: string, init: { ctrlKey?: boolean } = {}) =>
  fireEvent.keyDown(document.body, { key, ...init });
const itemHeading = () => screen.getByRole("heading", { level: 2 }).textContent;
const submits = (server: ReturnType<typeof renderBatch>) =>
  server.calls.filter((call) => call.operationName === "SubmitLabels").map((call) => call.variables);

describe("the labelling queue", () => {
  it("labels from the keyboard: number keys, J/K and arrows, U to undo, Ctrl+Enter to submit, with a summary", async () => {
    const server = renderBatch();
    await screen.findByRole("heading", { name: "Item 1 of 3" });
    expect(screen.getByRole("img", { name: "_unlabeled/i1.png" }).getAttribute("src")).toBe(
      "http://gateway.test/files/samples/i1",
    );
    expect(
      within(screen.getByRole("list", { name: "Top predictions" }))
        .getAllByRole("listitem")
        .map((entry) => entry.textContent),
    ).toEqual(["cat40.0%", "dog35.0%", "fox25.0%"]);

    press("1"); // i1: cat, on to i2
    expect(itemHeading()).toBe("Item 2 of 3");
    press("3"); // i2: fox, on to i3, the random pick
    expect(itemHeading()).toBe("Item 3 of 3random pick");
    press("u"); // i2 is unlabelled again, and back on screen
    expect(itemHeading()).toBe("Item 2 of 3");
    expect(screen.getByText("1 of 3 labelled; items without a label are left out.")).toBeTruthy();
    press("k");
    expect(itemHeading()).toBe("Item 1 of 3");
    press("ArrowRight");
    press("2"); // i2: dog, on to i3
    press("J"); // the last item: nowhere further
    expect(itemHeading()).toBe("Item 3 of 3random pick");
    press("2"); // i3: dog; every item has a label
    expect(screen.getByText("3 of 3 labelled.")).toBeTruthy();
    expect(
      within(screen.getByRole("list", { name: "Items of the batch" }))
        .getAllByRole("button")
        .map((button) => button.getAttribute("aria-label")),
    ).toEqual(["Item 1, labelled cat", "Item 2, labelled dog", "Item 3, random pick, labelled dog"]);

    press("Enter", { ctrlKey: true });
    const summary = await screen.findByRole("status", { name: "Submitted labels" });
    expect(submits(server)).toEqual([
      {
        batchId: "b-1",
        labels: [
          { itemId: "i1", label: "cat" },
          { itemId: "i2", label: "dog" },
          { itemId: "i3", label: "dog" },
        ],
      },
    ]);
    expect(within(summary).getByRole("heading").textContent).toBe("3 of 3 labelled · version 4 created");
    expect(within(summary).getByRole("link", { name: "version 4 created" }).getAttribute("href")).toBe(
      "/datasets/ds-1/versions/4",
    );
    // The model's top guess held for i1 and i2 of the uncertain picks, and for the random i3.
    expect(summary.textContent).toContain(
      "The model was already right on the uncertain picks2 of 2 (100.0%)",
    );
    expect(summary.textContent).toContain("… and on the random picks1 of 1 (100.0%)");
    // The batch and the list of batches are fetched again, so coming back shows the batch submitted.
    await waitFor(() =>
      expect(server.calls.map((call) => call.operationName)).toEqual([
        "LabelingBatch",
        "SubmitLabels",
        "LabelingBatch",
        "LabelingBatches",
      ]),
    );
  });

  it("leaves Enter on a focused button to the button, and asks before leaving items unlabelled", async () => {
    const server = renderBatch();
    await screen.findByRole("heading", { name: "Item 1 of 3" });
    press("1"); // i1: cat
    // A click leaves focus on the button it pressed; Enter there is the button's, not a submit.
    const next = screen.getByRole("button", { name: "Next →" });
    next.focus();
    fireEvent.keyDown(next, { key: "Enter" });
    expect(screen.getByRole("button", { name: "Submit 1 label" })).toBeTruthy();
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(submits(server)).toEqual([]);
    // The number keys still label while a button has focus.
    fireEvent.keyDown(next, { key: "2" }); // i2: dog
    expect(itemHeading()).toBe("Item 3 of 3random pick");

    fireEvent.keyDown(next, { key: "Enter", ctrlKey: true });
    const dialog = screen.getByRole("alertdialog", { name: "Submit 2 labels with 1 item unlabelled?" });
    const anyway = within(dialog).getByRole("button", { name: "Submit 2 labels anyway" });
    expect(document.activeElement).toBe(anyway);
    fireEvent.keyDown(anyway, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Submit 2 labels" }));
    expect(submits(server)).toEqual([]);

    fireEvent.click(screen.getByRole("button", { name: "Submit 2 labels" }));
    fireEvent.click(
      within(screen.getByRole("alertdialog", { name: /1 item unlabelled/ })).getByRole("button", {
        name: "Submit 2 labels anyway",
      }),
    );
    const summary = await screen.findByRole("status", { name: "Submitted labels" });
    expect(within(summary).getByRole("heading").textContent).toBe("2 of 3 labelled · version 4 created");
    expect(submits(server)).toEqual([
      {
        batchId: "b-1",
        labels: [
          { itemId: "i1", label: "cat" },
          { itemId: "i2", label: "dog" },
        ],
      },
    ]);
  });

  it("leaves keys typed into the other-label field to the field", async () => {
    renderBatch();
    await screen.findByRole("heading", { name: "Item 1 of 3" });
    press("/");
    const field = screen.getByLabelText(/Another label/);
    expect(document.activeElement).toBe(field);
    fireEvent.keyDown(field, { key: "2" });
    expect(itemHeading()).toBe("Item 1 of 3");
    fireEvent.change(field, { target: { value: "hamster" } });
    fireEvent.click(screen.getByRole("button", { name: "Give it" }));
    expect(itemHeading()).toBe("Item 2 of 3");
    await waitFor(() =>
      expect(screen.getByText("1 of 3 labelled; items without a label are left out.")).toBeTruthy(),
    );
  });
});
