import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { GraphQLError } from "graphql";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { ImportPackageForm, ImportPackageSection } from "../../../src/serving/import-package-form";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";
import { ada } from "./analytics-fixtures";

afterEach(cleanup);

function renderForm(answer: Answer) {
  const server = fakeGraphQLServer({
    ImportModelPackage: answer,
    ModelDetail: () => ({ data: { model: null } }),
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/models/upload"]}>
        <Routes>
          <Route path="/models/upload" element={<ImportPackageForm />} />
          <Route path="/models/:owner/:slug/versions/:version" element={<p>version page</p>} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const pick = (file: File) =>
  fireEvent.change(screen.getByLabelText("Package: files"), { target: { files: [file] } });

describe("importing a package", () => {
  it("opens on request below the upload form, so the page has one drop zone until then", () => {
    const server = fakeGraphQLServer({});
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter>
          <ImportPackageSection />
        </MemoryRouter>
      </ApolloProvider>,
    );
    expect(screen.queryByLabelText("Package: files")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Import a package" }));
    expect(screen.getByRole("form", { name: "Import a package" })).toBeTruthy();
  });

  it("uploads the .tessera file with the slug typed, then opens the imported version", async () => {
    const server = renderForm(() => ({
      data: {
        importModelPackage: {
          __typename: "ModelVersion",
          id: "v-9",
          version: "v1",
          model: { __typename: "Model", id: "m-9", slug: "shared-colours", owner: ada },
        },
      },
    }));
    const file = new File(["zip bytes"], "ada-colours-v2.tessera");
    pick(file);
    fireEvent.change(screen.getByLabelText("Slug"), { target: { value: "shared-colours" } });
    fireEvent.click(screen.getByRole("button", { name: "Import package" }));
    await screen.findByText("version page");
    expect(server.calls.map((call) => [call.operationName, call.variables])).toEqual([
      ["ImportModelPackage", { archive: file, slug: "shared-colours" }],
      // The model page reads its versions cache-first: it is asked again so the new one is there.
      ["ModelDetail", { owner: "ada", slug: "shared-colours" }],
    ]);
  });

  it("shows a refusal naming the tampered file, with its code", async () => {
    renderForm(() => ({
      errors: [
        new GraphQLError("model.onnx does not match its MANIFEST.sha256 hash", {
          extensions: { code: "BAD_USER_INPUT" },
        }),
      ],
    }));
    pick(new File(["zip bytes"], "tampered.tessera"));
    fireEvent.click(screen.getByRole("button", { name: "Import package" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toBe(
        "BAD_USER_INPUT model.onnx does not match its MANIFEST.sha256 hash",
      ),
    );
  });
});
