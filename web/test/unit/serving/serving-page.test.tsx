import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import ServingPage from "../../../src/serving/serving-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";
import { analytics, deployment } from "./analytics-fixtures";

// ECharts needs a real canvas; the figures under test are in the facts and the latency table.
vi.mock("../../../src/ui/chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

afterEach(cleanup);

const twoDeployed: Answer = () => ({
  data: { deployments: [deployment("v-colours", "colours"), deployment("v-shapes", "shapes")] },
});

function renderPage(url: string, deployments: Answer = twoDeployed) {
  const server = fakeGraphQLServer({
    ServingDeployments: deployments,
    DeploymentAnalytics: (variables) => ({
      data: {
        modelVersion: {
          __typename: "ModelVersion",
          id: variables.versionId,
          deployment: { __typename: "Deployment", id: `d-${String(variables.versionId)}`, analytics },
        },
      },
    }),
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/serving" element={<ServingPage />} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const analyticsCalls = (server: ReturnType<typeof fakeGraphQLServer>) =>
  server.calls.filter((call) => call.operationName === "DeploymentAnalytics").map((call) => call.variables);

describe("the serving page", () => {
  it("shows the deployment named in the URL over the last hour: rates, stage latencies and the charts", async () => {
    const server = renderPage("/serving?version=v-shapes");
    const table = await screen.findByRole("table", { name: "Latency per stage" });
    expect((screen.getByLabelText("Deployment") as HTMLSelectElement).value).toBe("v-shapes");
    expect(analyticsCalls(server)).toEqual([{ versionId: "v-shapes", window: "LAST_HOUR" }]);

    const facts = Object.fromEntries(
      [...document.querySelectorAll(".fact")].map((fact) => [
        fact.querySelector("dt")!.textContent,
        fact.querySelector("dd")!.textContent,
      ]),
    );
    expect(facts).toEqual({
      Requests: "10",
      Errors: "2",
      "Cache hit rate": "40.0% (4 hits, 6 misses)",
      "Fallback rate": "10.0%",
      "Degraded answers": "1",
    });
    expect(
      within(table)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual([
      "Gateway (whole request)≤ 20 ms≤ 100 ms≤ 500 ms",
      "Queue (tier batcher)≤ 1.0 ms≤ 5.0 ms≤ 10 ms",
      "Compute (ONNX Runtime)———",
    ]);
    expect(screen.getAllByRole("img").map((chart) => chart.getAttribute("aria-label"))).toEqual([
      "Requests, errors and p95 latency over time",
      "Latency percentiles per stage",
      "Requests by tier batch size",
      "Requests by where they were served",
      "Errors by code",
    ]);
  });

  it("says the version named in the URL is not deployed instead of showing another", async () => {
    const server = renderPage("/serving?version=v-gone");
    await screen.findByRole("heading", { name: "That version is not deployed" });
    expect((screen.getByLabelText("Deployment") as HTMLSelectElement).value).toBe("");
    expect(screen.getByText("v-gone").tagName).toBe("CODE");
    expect(analyticsCalls(server)).toEqual([]);
    fireEvent.change(screen.getByLabelText("Deployment"), { target: { value: "v-shapes" } });
    await screen.findByRole("table", { name: "Latency per stage" });
    expect(analyticsCalls(server)).toEqual([{ versionId: "v-shapes", window: "LAST_HOUR" }]);
  });

  it("shows the error alone when the deployments could not be read", async () => {
    renderPage("/serving", () => ({
      errors: [{ message: "Sign in again", extensions: { code: "UNAUTHENTICATED" } }],
    }));
    expect((await screen.findByRole("alert")).textContent).toBe("UNAUTHENTICATED Sign in again");
    expect(screen.queryByText("Nothing is deployed")).toBeNull();
  });

  it("asks again for the window picked", async () => {
    const server = renderPage("/serving");
    await screen.findByRole("table", { name: "Latency per stage" });
    fireEvent.change(screen.getByLabelText("Window"), { target: { value: "LAST_DAY" } });
    await waitFor(() =>
      expect(analyticsCalls(server).at(-1)).toEqual({ versionId: "v-colours", window: "LAST_DAY" }),
    );
  });
});
