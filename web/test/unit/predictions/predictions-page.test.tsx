import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import PredictionsPage from "../../../src/predictions/predictions-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

afterEach(cleanup);

const ada = { __typename: "User", id: "user-1", handle: "ada" };
const score = (index: number, label: string, value: number) => ({
  __typename: "LabelScore",
  index,
  label,
  score: value,
});

const version = {
  __typename: "ModelVersion",
  id: "v-2",
  version: "v2",
  labels: ["red", "green", "blue"],
  feedbackSummary: { __typename: "FeedbackSummary", predictions: 40, withFeedback: 10, correct: 7, wrong: 3 },
  feedbackAdjustment: {
    __typename: "FeedbackAdjustment",
    method: "vector scaling",
    feedbackCount: 10,
    accuracyBefore: 0.7,
    accuracyAfter: 0.68,
    active: false,
    fittedAt: "2026-03-01T09:00:00.000Z",
  },
  deployment: {
    __typename: "Deployment",
    id: "d-1",
    config: {
      __typename: "DeploymentConfig",
      predictionLog: {
        __typename: "PredictionLogConfig",
        enabled: true,
        retentionDays: 30,
        keepImages: true,
      },
    },
  },
};

const prediction = (id: string, feedback: Record<string, unknown> | null) => ({
  __typename: "Prediction",
  id,
  createdAt: "2026-03-01T10:00:00.000Z",
  imageUrl: `http://gateway.test/files/predictions/${id}.png`,
  uncertainty: 0.4567,
  predictions: [score(2, "blue", 0.6), score(0, "red", 0.3), score(1, "green", 0.1)],
  adjustedPredictions: null,
  feedback,
  requestedBy: ada,
});

const stored = (id: string, correctLabel: string | null, isCorrect: boolean) => ({
  __typename: "Feedback",
  id,
  correctLabel,
  isCorrect,
  note: null,
  updatedAt: "2026-03-01T10:05:00.000Z",
  createdBy: ada,
});

const answers: Record<string, Answer> = {
  PredictionLogVersion: () => ({
    data: {
      model: { __typename: "Model", id: "model-1", slug: "colours", name: "Colours", owner: ada, version },
    },
  }),
  PredictionLog: () => ({
    data: {
      predictions: {
        __typename: "PredictionConnection",
        totalCount: 2,
        pageInfo: { __typename: "PageInfo", endCursor: "c-2", hasNextPage: false },
        edges: [
          { __typename: "PredictionEdge", node: prediction("p-1", null) },
          { __typename: "PredictionEdge", node: prediction("p-2", stored("f-2", "red", false)) },
        ],
      },
    },
  }),
  RecordFeedback: (variables) => {
    const input = variables.input as { predictionId: string; correctLabel: string };
    return {
      data: {
        recordFeedback: {
          ...stored("f-1", input.correctLabel, false),
          prediction: {
            __typename: "Prediction",
            id: input.predictionId,
            feedback: { __typename: "Feedback", id: "f-1" },
          },
        },
      },
    };
  },
};

function renderPage(url = "/predictions/ada/colours/v2") {
  const server = fakeGraphQLServer(answers);
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/predictions/:owner/:slug/:version" element={<PredictionsPage />} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

describe("a model version's prediction log", () => {
  it("lists predictions with their image, top label, uncertainty and feedback, and says why the adjustment is off", async () => {
    renderPage();
    const table = await screen.findByRole("table", { name: "Logged predictions" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.querySelector("th")?.textContent)).toEqual(["blue 60.0%", "blue 60.0%"]);
    expect(rows.map((row) => row.querySelector("td:nth-of-type(2)")?.textContent?.trim())).toEqual([
      "0.46",
      "0.46",
    ]);
    expect(within(rows[0]!).getByRole("img").getAttribute("src")).toBe(
      "http://gateway.test/files/predictions/p-1.png",
    );
    expect(rows[1]!.querySelector(".feedback-stored")?.textContent).toMatch(/^Wrong the right label is red/);

    expect(screen.getByText(/^Not active/).textContent).toBe(
      "Not active: on held-out feedback it did not beat the raw scores (70.0% → 68.0%), so predictions carry the raw scores only.",
    );
    expect(screen.getByText(/Every prediction of the deployment is logged/).textContent).toBe(
      "Every prediction of the deployment is logged and kept 30 days, with its image.",
    );
  });

  it("narrows the log by the filters and corrects a prediction in place", async () => {
    const server = renderPage("/predictions/ada/colours/v2?feedback=with&verdict=wrong");
    await screen.findByRole("table", { name: "Logged predictions" });
    fireEvent.change(screen.getByLabelText("Top label"), { target: { value: "blue" } });
    expect(await screen.findByRole("status", { name: "Loading predictions" })).toBeTruthy();
    const table = await screen.findByRole("table", { name: "Logged predictions" });
    const logCalls = server.calls.filter((call) => call.operationName === "PredictionLog");
    expect(logCalls.map((call) => call.variables.filter)).toEqual([
      { hasFeedback: true, isCorrect: false },
      { hasFeedback: true, isCorrect: false, label: "blue" },
    ]);

    const first = within(table).getAllByRole("row")[1]!;
    fireEvent.click(within(first).getByRole("button", { name: "Wrong? Pick the right label" }));
    // Its top answer, blue, is what "Correct" would say: the picker offers the other labels.
    expect(within(first).queryByRole("button", { name: "blue" })).toBeNull();
    fireEvent.click(within(first).getByRole("button", { name: "green" }));
    expect((await within(first).findByText(/the right label is/)).closest("p")?.textContent).toMatch(
      /^Wrong the right label is green/,
    );
    expect(
      server.calls.filter((call) => call.operationName === "RecordFeedback").map((call) => call.variables),
      // Judged on the prediction log, not in the playground.
    ).toEqual([{ input: { predictionId: "p-1", correctLabel: "green", source: "API" } }]);
  });
});
