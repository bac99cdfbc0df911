import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { GraphQLError } from "graphql";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import CreateEnsemblePage from "../../../src/serving/create-ensemble-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";
import { ada } from "./analytics-fixtures";

afterEach(cleanup);

const model = (slug: string, framework: string, versions: string[], aliases: string[] = []) => ({
  __typename: "Model",
  id: `m-${slug}`,
  slug,
  name: slug,
  framework,
  owner: ada,
  aliases: aliases.map((alias) => ({ __typename: "ModelAlias", alias })),
  versions: versions.map((version) => ({
    __typename: "ModelVersion",
    id: `${slug}-${version}`,
    version,
    labels: ["red", "green"],
  })),
});

const choices: Answer = () => ({
  data: {
    models: {
      __typename: "ModelConnection",
      edges: [
        { __typename: "ModelEdge", node: model("colours", "ONNX", ["v1", "v2"], ["production"]) },
        { __typename: "ModelEdge", node: model("online", "REMOTE", ["v1"]) },
        { __typename: "ModelEdge", node: model("blend", "ENSEMBLE", ["v1"]) },
      ],
    },
  },
});

function renderPage(createEnsemble: Answer) {
  const server = fakeGraphQLServer({ EnsembleMemberChoices: choices, CreateEnsemble: createEnsemble });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/serving/ensembles/new"]}>
        <Routes>
          <Route path="/serving/ensembles/new" element={<CreateEnsemblePage />} />
          <Route path="/models/:owner/:slug/versions/:version" element={<p>version page</p>} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const creates = (server: ReturnType<typeof fakeGraphQLServer>) =>
  server.calls.filter((call) => call.operationName === "CreateEnsemble").map((call) => call.variables);

async function fill() {
  await waitFor(() => expect(screen.getAllByRole("option", { name: /ada\/colours v2/ })).toHaveLength(2));
  fireEvent.change(screen.getByLabelText("Slug *"), { target: { value: "colour-blend" } });
  fireEvent.change(screen.getByLabelText("Blend"), { target: { value: "VOTE" } });
  fireEvent.change(screen.getByLabelText("Member 1"), { target: { value: "alias:ada/colours@production" } });
  fireEvent.change(screen.getByLabelText("Member 2"), { target: { value: "version:online-v1" } });
  fireEvent.change(screen.getByLabelText("Member 2 weight"), { target: { value: "2.5" } });
  fireEvent.click(screen.getByRole("button", { name: "Add a fallback" }));
  fireEvent.change(screen.getByLabelText("Fallback 1"), { target: { value: "version:colours-v1" } });
  fireEvent.change(screen.getByLabelText("Member timeout (ms)"), { target: { value: "2000" } });
}

describe("creating an ensemble", () => {
  it("offers classification versions and aliases, not ensembles, and sends members, weights, fallbacks and the blend", async () => {
    const server = renderPage(() => ({
      data: {
        createEnsemble: {
          __typename: "ModelVersion",
          id: "blend-v1",
          version: "v1",
          model: { __typename: "Model", id: "m-blend", slug: "colour-blend", owner: ada },
        },
      },
    }));
    await fill();
    const offered = within(screen.getByLabelText("Member 1"))
      .getAllByRole("option")
      .map((option) => option.textContent);
    expect(offered).toEqual([
      "Choose a classifier",
      "ada/colours@production (follows the alias)",
      "ada/colours v2 · 2 labels",
      "ada/colours v1 · 2 labels",
      "ada/online v1 · 2 labels",
    ]);
    fireEvent.click(screen.getByRole("button", { name: "Create the ensemble" }));
    await screen.findByText("version page");
    expect(creates(server)).toEqual([
      {
        input: {
          slug: "colour-blend",
          blend: "VOTE",
          members: [
            { alias: "ada/colours@production", weight: 1 },
            { modelVersionId: "online-v1", weight: 2.5 },
          ],
          fallback: [{ modelVersionId: "colours-v1", weight: 1 }],
          memberTimeoutMs: 2000,
        },
      },
    ]);
  });

  it("refuses one member before sending, and shows the server's refusal with its code", async () => {
    const server = renderPage(() => ({
      errors: [
        new GraphQLError("ada/online v1 cannot be seen by you", { extensions: { code: "NOT_FOUND" } }),
      ],
    }));
    await waitFor(() => expect(screen.getAllByRole("option", { name: /ada\/colours v2/ })).toHaveLength(2));
    fireEvent.change(screen.getByLabelText("Slug *"), { target: { value: "colour-blend" } });
    fireEvent.change(screen.getByLabelText("Member 1"), { target: { value: "version:colours-v2" } });
    fireEvent.click(screen.getByRole("button", { name: "Create the ensemble" }));
    expect(screen.getByRole("alert").textContent).toBe("Pick 2 to 8 members (1 picked).");
    expect(creates(server)).toEqual([]);

    fireEvent.change(screen.getByLabelText("Member 2"), { target: { value: "version:online-v1" } });
    fireEvent.click(screen.getByRole("button", { name: "Create the ensemble" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toBe("NOT_FOUND ada/online v1 cannot be seen by you"),
    );
    expect(creates(server)).toHaveLength(1);
  });
});
