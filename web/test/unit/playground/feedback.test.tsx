import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ClassificationResult } from "../../../src/playground/classification-result";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

// ECharts needs a real canvas; the figures under test are the tables'.
vi.mock("../../../src/ui/chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

afterEach(cleanup);

const score = (index: number, label: string, value: number) => ({
  __typename: "LabelScore" as const,
  index,
  label,
  score: value,
});

const classification = {
  __typename: "Classification" as const,
  modelVersionId: "classifier",
  latencyMs: 2,
  predictionId: "prediction-1",
  predictions: [score(2, "blue", 0.7), score(0, "red", 0.2), score(1, "green", 0.1)],
  adjustedPredictions: null,
  servedBy: "tier:127.0.0.1:50051",
  cached: false,
  degraded: false,
  members: null,
};

const labels = ["red", "green", "blue"];

function storedFeedback(input: Record<string, unknown>) {
  return {
    __typename: "Feedback",
    id: "feedback-1",
    // As the server stores it: a bare "correct" takes the top label.
    correctLabel: input.correctLabel ?? (input.isCorrect ? "blue" : null),
    isCorrect: input.isCorrect ?? false,
    note: null,
    updatedAt: "2026-03-01T10:00:00.000Z",
    createdBy: { __typename: "User", id: "user-1", handle: "ada" },
    prediction: {
      __typename: "Prediction",
      id: input.predictionId,
      feedback: { __typename: "Feedback", id: "feedback-1" },
    },
  };
}

const recordFeedback: Answer = (variables) => ({
  data: { recordFeedback: storedFeedback(variables.input as Record<string, unknown>) },
});

function renderResult(props: Partial<Parameters<typeof ClassificationResult>[0]> = {}) {
  const server = fakeGraphQLServer({ RecordFeedback: recordFeedback });
  render(
    <ApolloProvider client={server.client}>
      <ClassificationResult classification={classification} labels={labels} {...props} />
    </ApolloProvider>,
  );
  return server;
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .map((row) => row.textContent);

describe("feedback in the playground", () => {
  it("records the right label with one click among the model's other labels, the ranked ones first", async () => {
    const server = renderResult();
    fireEvent.click(screen.getByRole("button", { name: "Wrong? Pick the right label" }));
    const picker = screen.getByRole("group", { name: "Pick the right label" });
    const choices = within(picker)
      .getAllByRole("button")
      .map((button) => button.textContent);
    // blue, the model's answer, is what "Correct" says: picking it would not record it wrong.
    expect(choices).toEqual(["red", "green", "Cancel"]);
    expect(document.activeElement).toBe(within(picker).getByRole("button", { name: "red" }));

    fireEvent.click(within(picker).getByRole("button", { name: "green" }));
    const stored = await screen.findByText(/the right label is/);
    expect(stored.closest("p")?.textContent).toMatch(/^Wrong the right label is green \(ada, .+\) Change$/);
    expect(server.calls.filter((call) => call.operationName === "RecordFeedback")).toEqual([
      {
        operationName: "RecordFeedback",
        variables: { input: { predictionId: "prediction-1", correctLabel: "green", source: "PLAYGROUND" } },
      },
    ]);
    expect(screen.queryByRole("group", { name: "Pick the right label" })).toBeNull();
  });

  it("records a verdict with 'Correct'", async () => {
    const server = renderResult();
    fireEvent.click(screen.getByRole("button", { name: "Correct" }));
    expect(await screen.findByText("Correct", { selector: ".badge" })).toBeTruthy();
    expect(server.calls.map((call) => call.variables)).toEqual([
      { input: { predictionId: "prediction-1", isCorrect: true, source: "PLAYGROUND" } },
    ]);
  });

  it("offers no feedback when the deployment keeps no prediction log", () => {
    renderResult({ classification: { ...classification, predictionId: null } });
    expect(screen.queryByRole("button", { name: "Correct" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Wrong\?/ })).toBeNull();
    expect(screen.getByText(/keeps no prediction log/)).toBeTruthy();
  });

  it("shows the adjusted scores beside the raw ones, with the method and the measured gain", () => {
    renderResult({
      classification: {
        ...classification,
        adjustedPredictions: {
          method: "vector-scaling",
          improvement: 0.075,
          predictions: [score(0, "red", 0.55), score(2, "blue", 0.4), score(1, "green", 0.05)],
        },
      },
    });
    expect(document.querySelector(".result-headline")?.textContent).toBe("Most likely blue (70.0%)");
    expect(rowsOf(screen.getByRole("table", { name: "Top labels" }))).toEqual([
      "RankLabelProbabilityOutput index",
      "1blue70.0%2",
      "2red20.0%0",
      "3green10.0%1",
    ]);
    const adjusted = screen.getByRole("table", { name: "Adjusted by feedback" });
    expect(rowsOf(adjusted)).toEqual(["RankLabelProbability", "1red55.0%", "2blue40.0%", "3green5.0%"]);
    expect(adjusted.nextElementSibling?.textContent).toBe(
      "After the adjustment: red (55.0%). Method: vector-scaling, learned from this version's feedback; " +
        "+7.5 points of accuracy on held-out feedback. The raw scores stay what the model answered.",
    );
  });
});
