import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { ValidationState } from "../../../src/gql/graphql";
import { DeploymentPanel } from "../../../src/models/deployment-panel";
import ModelPage from "../../../src/models/model-page";
import { fakeGraphQLServer } from "../fake-graphql-server";

afterEach(cleanup);

const version = (id: string, accuracy: number | null, worseThanServing: boolean, deployed: boolean) => ({
  __typename: "ModelVersion",
  id,
  version: id,
  number: Number(id.slice(1)),
  createdAt: "2026-01-01T10:00:00.000Z",
  sizeBytes: 1000,
  validation: "VALID",
  isProductionReady: false,
  aliases: [],
  accuracy,
  worseThanServing,
  deployment: deployed ? { __typename: "Deployment", id: `d-${id}`, state: "READY" } : null,
});

const model = {
  __typename: "Model",
  id: "m1",
  slug: "colours",
  name: "Colours",
  description: null,
  framework: "ONNX",
  modelType: "CLASSIFICATION",
  algorithm: null,
  tags: [],
  isPublic: false,
  createdAt: "2026-01-01T10:00:00.000Z",
  updatedAt: "2026-01-01T10:00:00.000Z",
  owner: { __typename: "User", id: "u1", handle: "ada" },
  aliases: [],
  versions: [
    version("v3", 0.85, true, false),
    version("v2", 0.91, false, true),
    version("v1", null, false, false),
  ],
  servingVersion: { __typename: "ModelVersion", id: "v2", version: "v2", accuracy: 0.91 },
};

describe("a model's versions", () => {
  it("show each version's accuracy, which one serves, and flag one worse than it", async () => {
    const server = fakeGraphQLServer({ ModelDetail: () => ({ data: { model } }) });
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter initialEntries={["/models/ada/colours"]}>
          <Routes>
            <Route path="/models/:owner/:slug" element={<ModelPage />} />
          </Routes>
        </MemoryRouter>
      </ApolloProvider>,
    );
    const table = await screen.findByRole("table");
    const rows = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((row) => {
        const cells = within(row).getAllByRole("cell");
        return [within(row).getByRole("rowheader").textContent, cells[3]!.textContent];
      });
    expect(rows).toEqual([
      ["v3", "85.0%worse than v2"],
      ["v2", "91.0%serving"],
      ["v1", "—"],
    ]);
    expect(screen.getByText("worse than v2").getAttribute("title")).toBe(
      "Below v2, which the model serves (91.0%)",
    );
  });
});

describe("deploying a version", () => {
  const renderPanel = (target: { id: string; version: string; accuracy: number | null }) => {
    const server = fakeGraphQLServer({
      DeployModelVersion: () => ({
        data: {
          deployModelVersion: {
            __typename: "Deployment",
            id: "d-v3",
            state: "READY",
            reason: null,
            alias: null,
            tierModelName: "ada/colours",
            tierModelVersion: "3",
            updatedAt: "2026-01-01T10:00:00.000Z",
            config: {
              __typename: "DeploymentConfig",
              task: "CLASSIFY",
              hostedOn: "TIER",
              maxBatchSize: 8,
              instanceCount: 1,
              predictionLog: {
                __typename: "PredictionLogConfig",
                enabled: true,
                retentionDays: 30,
                keepImages: true,
              },
            },
            modelVersion: {
              __typename: "ModelVersion",
              id: target.id,
              deployment: { __typename: "Deployment", id: "d-v3" },
            },
          },
        },
      }),
    });
    render(
      <ApolloProvider client={server.client}>
        <DeploymentPanel
          versionId={target.id}
          deployment={null}
          validation={ValidationState.Valid}
          target={target}
          serving={{ id: "v2", version: "v2", accuracy: 0.91 }}
        />
      </ApolloProvider>,
    );
    return server;
  };
  const deploys = (server: ReturnType<typeof fakeGraphQLServer>) =>
    server.calls.filter((call) => call.operationName === "DeployModelVersion").length;

  it("asks first, naming the version it replaces and how their accuracies compare; Keep sends nothing", async () => {
    const server = renderPanel({ id: "v3", version: "v3", accuracy: 0.85 });
    fireEvent.click(screen.getByRole("button", { name: "Deploy" }));
    const dialog = screen.getByRole("alertdialog", { name: "Deploy v3 in place of v2?" });
    expect(dialog.textContent).toContain(
      "The model serves v2 now; deploying v3 replaces it for every client.",
    );
    expect(dialog.textContent).toContain("v3 scores 85.0%, below v2's 91.0%.");
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep v2" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();

    // Confirmed the second time: once that deploy has come back, it is the only one sent.
    fireEvent.click(screen.getByRole("button", { name: "Deploy" }));
    fireEvent.click(screen.getByRole("button", { name: "Deploy v3, replacing v2" }));
    expect(await screen.findByText(/^Deploying:/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/^Deploying:/)).toBeNull());
    expect(deploys(server)).toBe(1);
  });

  it("deploys once confirmed", async () => {
    const server = renderPanel({ id: "v3", version: "v3", accuracy: 0.95 });
    fireEvent.click(screen.getByRole("button", { name: "Deploy" }));
    expect(screen.getByRole("alertdialog").textContent).toContain("v3 scores 95.0%, above v2's 91.0%.");
    fireEvent.click(screen.getByRole("button", { name: "Deploy v3, replacing v2" }));
    await waitFor(() => expect(deploys(server)).toBe(1));
  });

  it("deploys at once the version that already serves", async () => {
    const server = renderPanel({ id: "v2", version: "v2", accuracy: 0.91 });
    fireEvent.click(screen.getByRole("button", { name: "Deploy" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(deploys(server)).toBe(1));
  });
});
