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
  const server = fakeGraphQLServer({ RegisterRemoteModel: answer });
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
  fireEvent.change(screen.getByLabelText("Labels *"), { target: { value: "red\ngreen\n\n blue " } });
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
    expect(screen.getByLabelText("Secret").getAttribute("type")).toBe("password");
    fill();
    fireEvent.click(screen.getByRole("button", { name: "Register the remote model" }));
    await screen.findByText("version page");
    expect(server.calls.map((call) => call.variables)).toEqual([
      {
        input: {
          slug: "online",
          url: "https://api.example.com/v1",
          remoteModel: "colours-large",
          labels: ["red", "green", "blue"],
          secret: "s3cret",
          rateLimit: { perMinute: 60 },
        },
      },
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
});
