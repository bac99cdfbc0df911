import { ApolloProvider } from "@apollo/client/react";
import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemberRole } from "../../../src/gql/graphql";
import { ClassificationResult } from "../../../src/playground/classification-result";
import { latencyWords, servedByWords } from "../../../src/playground/served-by";
import { fakeGraphQLServer } from "../fake-graphql-server";

// ECharts needs a real canvas; the figures under test are the tables'.
vi.mock("../../../src/ui/chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

afterEach(cleanup);

const score = (index: number, label: string, value: number) => ({ index, label, score: value });
const version = (id: string, slug: string) => ({
  id,
  version: "v2",
  model: { id: `model-${id}`, name: slug, slug, owner: { id: "user-1", handle: "ada" } },
});

const blend = {
  modelVersionId: "ensemble",
  latencyMs: 41.5,
  predictionId: null,
  predictions: [score(2, "blue", 0.6), score(0, "red", 0.3), score(1, "green", 0.1)],
  adjustedPredictions: null,
  servedBy: "ensemble",
  cached: false,
  degraded: true,
  members: [
    {
      modelVersionId: "onnx-a",
      modelVersion: version("onnx-a", "colours"),
      role: MemberRole.Member,
      weight: 2,
      predictions: [
        score(2, "blue", 0.7),
        score(0, "red", 0.2),
        score(1, "green", 0.075),
        score(3, "grey", 0.025),
      ],
      latencyMs: 12.25,
      servedBy: "tier:127.0.0.1:50051",
      error: null,
    },
    {
      modelVersionId: "remote-b",
      modelVersion: version("remote-b", "cloud-colours"),
      role: MemberRole.Member,
      weight: 1,
      predictions: [],
      latencyMs: 40,
      servedBy: "none",
      error: { code: "RATE_LIMITED", message: "Try again in 30 s" },
    },
    {
      modelVersionId: "hidden-c",
      modelVersion: null,
      role: MemberRole.Fallback,
      weight: 1 / 3,
      predictions: [score(0, "red", 0.5), score(2, "blue", 0.5)],
      latencyMs: 3,
      servedBy: "cache",
      error: null,
    },
  ],
};

function renderResult(classification: Parameters<typeof ClassificationResult>[0]["classification"]) {
  render(
    <ApolloProvider client={fakeGraphQLServer({}).client}>
      <MemoryRouter>
        <ClassificationResult classification={classification} labels={["red", "green", "blue"]} />
      </MemoryRouter>
    </ApolloProvider>,
  );
}

describe("an ensemble's answer in the playground", () => {
  it("lists each member beside the blend: version, role, weight, top labels, latency, where it ran, its error", () => {
    renderResult(blend);
    expect(screen.getByText(/Most likely/).textContent).toBe(
      "Most likely blue (60.0%) by the ensemble's blend",
    );
    const table = screen.getByRole("table", { name: "Ensemble members (3, 1 without an answer)" });
    expect(
      within(table)
        .getAllByRole("row")
        .map((row) => row.textContent),
    ).toEqual([
      "MemberRoleWeightTop predictionsLatencyServed byError",
      "ada/colours v2Member2blue 70.0%, red 20.0%, green 7.5%12.3 mstier:127.0.0.1:50051 (inference tier 127.0.0.1:50051)—",
      "ada/cloud-colours v2Member1—40.0 msnone (no answer)RATE_LIMITED Try again in 30 s",
      "A version you cannot see (hidden-c)Fallback0.333red 50.0%, blue 50.0%3.0 mscache (prediction cache)—",
    ]);
    expect(within(table).getByRole("link", { name: "ada/colours v2" }).getAttribute("href")).toBe(
      "/models/ada/colours/versions/v2",
    );
  });

  it("badges a degraded blend and a cached answer, and says where each answer came from", () => {
    renderResult(blend);
    expect(screen.getByText("Degraded")).toBeTruthy();
    expect(screen.getByText(/^: a member failed/).className).toBe("visually-hidden");
    expect(screen.queryByText("Cached")).toBeNull();
    expect(screen.getByText(/^Served by /).textContent).toBe("Served by ensemble (ensemble blend)");

    cleanup();
    renderResult({ ...blend, servedBy: "cache", cached: true, degraded: false, members: null, latencyMs: 0 });
    expect(screen.getByText("Cached")).toBeTruthy();
    expect(screen.getByText(/^: an earlier answer/).textContent).toBe(
      ": an earlier answer for the same image bytes and served version. ",
    );
    expect(screen.queryByText("Degraded")).toBeNull();
    expect(screen.getByText(/^Served by /).textContent).toBe("Served by cache (prediction cache)");
    expect(screen.queryByRole("table", { name: /Ensemble members/ })).toBeNull();
  });

  it("words the latency by where the answer was computed", () => {
    expect(latencyWords(3.25, "tier:10.0.0.7:50051")).toBe("3.3 ms in the inference tier");
    expect(latencyWords(120, "remote:api.example.com")).toBe("120.0 ms at the remote endpoint");
    expect(latencyWords(41.5, "ensemble")).toBe("41.5 ms from the first member's call to the blend");
    expect(latencyWords(0, "cache")).toBe("Answered from the prediction cache: the model did not run again");
    expect(servedByWords("remote:api.example.com")).toBe("remote endpoint api.example.com");
    expect(servedByWords("gpu-pool")).toBe("gpu-pool");
  });
});
