import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { GraphQLError } from "graphql";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import RegisterRemotePage from "../../../src/serving/register-remote-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";
import { ada } from "./analytics-fixtures";

afterEach(cleanup);

function renderPage(answer: Answer) {
  const server = fakeGraphQLServer({
    RegisterRemoteModel: answer,
    ModelDetail: () => ({ data: { model: null } }),
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/serving/remote/new"]}>
        <Routes>
          <Route path="/serving/remote/new" element={<RegisterRemotePage />} />
          <Route path="/models/:owner/:slug/versions/:version" element={<p>version page</p>} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

function fill() {
  fireEvent.change(screen.getByLabelText("Slug *"), { target: { value: "online" } });
  fireEvent.change(screen.getByLabelText("Endpoint URL *"), {
    target: { value: "https://api.example.com/v1" },
  });
  fireEvent.change(screen.getByLabelText("Remote model *"), { target: { value: "colours-large" } });
  fireEvent.change(screen.getByLabelText("Secret"), { target: { value: "s3cret" } });
  fireEvent.change(screen.getByLabelText("Labels *"), {
    target: { value: "red\ngreen, light\r\n\n blue " },
  });
  fireEvent.change(screen.getByLabelText("Calls per minute"), { target: { value: "60" } });
}

describe("registering a remote model", () => {
  it("takes the secret in a password field and sends it with the labels and rate limit", async () => {
    const server = renderPage(() => ({
      data: {
        registerRemoteModel: {
          __typename: "ModelVersion",
          id: "online-v1",
          version: "v1",
          model: { __typename: "Model", id: "m-online", slug: "online", owner: ada },
        },
      },
    }));
    const secret = screen.getByLabelText("Secret");
    expect(
      ["type", "autocomplete", "data-1p-ignore", "data-lpignore"].map((name) => secret.getAttribute(name)),
    ).toEqual(["password", "off", "true", "true"]);
    fill();
    fireEvent.click(screen.getByRole("button", { name: "Register the remote model" }));
    await screen.findByText("version page");
    expect(server.calls.map((call) => [call.operationName, call.variables])).toEqual([
      [
        "RegisterRemoteModel",
        {
          input: {
            slug: "online",
            url: "https://api.example.com/v1",
            remoteModel: "colours-large",
            labels: ["red", "green, light", "blue"],
            secret: "s3cret",
            rateLimit: { perMinute: 60 },
          },
        },
      ],
      // The model page reads its versions cache-first: it is asked again so the new one is there.
      ["ModelDetail", { owner: "ada", slug: "online" }],
    ]);
  });

  it("shows the server's refusal with its code, at the URL field it names", async () => {
    renderPage(() => ({
      errors: [
        new GraphQLError("url points at a private address", {
          extensions: { code: "BAD_USER_INPUT", field: "url" },
        }),
      ],
    }));
    fill();
    fireEvent.click(screen.getByRole("button", { name: "Register the remote model" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toBe("BAD_USER_INPUT url points at a private address"),
    );
    expect(screen.getByLabelText("Endpoint URL *").getAttribute("aria-invalid")).toBe("true");
  });

  it("puts the server's problems at the fields they name, nested ones included, the rest by the button", async () => {
    renderPage(() => ({
      errors: [
        new GraphQLError("rateLimit.perMinute is above 100000", {
          extensions: { code: "BAD_USER_INPUT", field: "rateLimit.perMinute" },
        }),
        new GraphQLError("labels[1] repeats an earlier label", {
          extensions: { code: "BAD_USER_INPUT", field: "labels[1]" },
        }),
        new GraphQLError("The secret store is unavailable", {
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        }),
      ],
    }));
    fill();
    fireEvent.click(screen.getByRole("button", { name: "Register the remote model" }));
    const perMinute = screen.getByLabelText("Calls per minute");
    await waitFor(() => expect(perMinute.getAttribute("aria-invalid")).toBe("true"));
    const described = (input: HTMLElement) =>
      (input.getAttribute("aria-describedby") ?? "")
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent);
    expect(described(perMinute)).toEqual([
      "1 to 100000; no limit when blank",
      "BAD_USER_INPUT rateLimit.perMinute is above 100000",
    ]);
    expect(described(screen.getByLabelText("Labels *")).at(-1)).toBe(
      "BAD_USER_INPUT labels[1] repeats an earlier label",
    );
    expect(screen.getAllByRole("alert").map((alert) => alert.textContent)).toEqual([
      "BAD_USER_INPUT labels[1] repeats an earlier label",
      "BAD_USER_INPUT rateLimit.perMinute is above 100000",
      "INTERNAL_SERVER_ERROR The secret store is unavailable",
    ]);
  });
});
