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

function renderPage(createEnsemble: Answer, memberChoices: Answer = choices) {
  const server = fakeGraphQLServer({
    EnsembleMemberChoices: memberChoices,
    CreateEnsemble: createEnsemble,
    ModelDetail: () => ({ data: { model: null } }),
  });
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
    // The model page reads its versions cache-first: it is asked again so the new one is there.
    expect(server.calls.at(-1)).toEqual({
      operationName: "ModelDetail",
      variables: { owner: "ada", slug: "colour-blend" },
    });
  });

  it("refuses a weight that is not a plain number at its row instead of sending the default", async () => {
    const server = renderPage(() => ({ errors: [new GraphQLError("not expected")] }));
    await fill();
    const weight = screen.getByLabelText("Member 2 weight");
    fireEvent.change(weight, { target: { value: "1,5" } });
    fireEvent.click(screen.getByRole("button", { name: "Create the ensemble" }));
    expect(weight.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(weight.getAttribute("aria-describedby")!)?.textContent).toBe(
      "A number from 0 to 1000, like 0.5.",
    );
    expect(screen.getAllByRole("alert").map((alert) => alert.textContent)).toEqual([
      "A number from 0 to 1000, like 0.5.",
    ]);
    expect(creates(server)).toEqual([]);
  });

  it("puts the server's row problems at the row it means, counting only the rows sent", async () => {
    renderPage(() => ({
      errors: [
        new GraphQLError("members[1] is an ensemble", {
          extensions: { code: "BAD_USER_INPUT", field: "members[1]" },
        }),
        new GraphQLError("members[0].weight is above 1000", {
          extensions: { code: "BAD_USER_INPUT", field: "members[0].weight" },
        }),
        new GraphQLError("fallback[0].alias names no alias you can see", {
          extensions: { code: "NOT_FOUND", field: "fallback[0].alias" },
        }),
        new GraphQLError("Too many ensembles", { extensions: { code: "RESOURCE_EXHAUSTED" } }),
      ],
    }));
    await fill();
    // A blank row between the two picked members: the server's members[1] is the form's Member 3.
    fireEvent.click(screen.getByRole("button", { name: "Add a member" }));
    fireEvent.change(screen.getByLabelText("Member 3"), { target: { value: "version:online-v1" } });
    fireEvent.change(screen.getByLabelText("Member 2"), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Create the ensemble" }));
    const at = (label: string) => {
      const input = screen.getByLabelText(label);
      const ids = input.getAttribute("aria-describedby")?.split(" ") ?? [];
      return [input.getAttribute("aria-invalid"), ids.map((id) => document.getElementById(id)?.textContent)];
    };
    await waitFor(() =>
      expect(at("Member 3")).toEqual(["true", ["BAD_USER_INPUT members[1] is an ensemble"]]),
    );
    expect(at("Member 1 weight")).toEqual(["true", ["BAD_USER_INPUT members[0].weight is above 1000"]]);
    expect(at("Fallback 1")).toEqual(["true", ["NOT_FOUND fallback[0].alias names no alias you can see"]]);
    expect(at("Member 2")).toEqual([null, []]);
    expect(screen.getAllByRole("alert").at(-1)?.textContent).toBe("RESOURCE_EXHAUSTED Too many ensembles");
  });

  it("explains that there is nothing to pick, with where to get a classifier", async () => {
    renderPage(
      () => ({ errors: [new GraphQLError("not expected")] }),
      () => ({
        data: {
          models: {
            __typename: "ModelConnection",
            edges: [{ __typename: "ModelEdge", node: model("blend", "ENSEMBLE", ["v1"]) }],
          },
        },
      }),
    );
    expect(screen.getByRole("status", { name: "Loading the classifiers you can pick" })).toBeTruthy();
    await screen.findByRole("heading", { name: "No classifiers to pick" });
    expect(screen.queryByRole("form")).toBeNull();
    expect(screen.getAllByRole("link").map((link) => [link.textContent, link.getAttribute("href")])).toEqual([
      ["Serving", "/serving"],
      ["Upload a model", "/models/upload"],
      ["Register a remote model", "/serving/remote/new"],
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
