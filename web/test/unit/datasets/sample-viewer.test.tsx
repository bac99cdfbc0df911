import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter, useLocation } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { SampleCatalog, type SampleTile } from "../../../src/datasets/sample-catalog";
import { SampleViewer } from "../../../src/datasets/sample-viewer";
import { VersionContext, type VersionContextValue } from "../../../src/datasets/version-context";
import { fakeGraphQLServer } from "../fake-graphql-server";

afterEach(cleanup);

const tile = (path: string): SampleTile => ({
  sampleId: `s-${path}`,
  originalPath: path,
  thumbnailUrl: `http://gateway.test/files/thumbnails/${path}`,
  imageUrl: `http://gateway.test/files/samples/${path}`,
  format: "png",
  width: 8,
  height: 8,
  split: null,
  class: { classId: "red", name: "red" },
});
const samples = ["red/1.png", "red/2.png", "red/3.png"].map(tile);

function Location() {
  const { search } = useLocation();
  return <output data-testid="search">{search}</output>;
}

function renderViewer(sampleId: string) {
  const catalog = new SampleCatalog(async () => ({
    samples,
    totalCount: samples.length,
    endCursor: null,
    hasNextPage: false,
  }));
  catalog.loadAll();
  const version = { id: "dv-1", number: 1 } as VersionContextValue["version"];
  const context: VersionContextValue = {
    datasetId: "ds-1",
    version,
    statuses: [],
    readySpaces: [],
    catalog,
    remembered: new Map(),
    remember: () => undefined,
    canEdit: false,
  };
  render(
    <ApolloProvider client={fakeGraphQLServer({}).client}>
      <MemoryRouter initialEntries={[`/datasets/ds-1/versions/1?sample=${sampleId}`]}>
        <VersionContext value={context}>
          <SampleViewer />
          <Location />
        </VersionContext>
      </MemoryRouter>
    </ApolloProvider>,
  );
}

const title = () => screen.getByRole("dialog").querySelector("h2")?.textContent;
const search = () => screen.getByTestId("search").textContent;

describe("the sample viewer", () => {
  it("steps to the previous and next sample with the arrow keys and closes with Escape", async () => {
    renderViewer("s-red/2.png");
    await screen.findByRole("heading", { name: "red/2.png" });
    const dialog = screen.getByRole("dialog");

    fireEvent.keyDown(dialog, { key: "ArrowRight" });
    await screen.findByRole("heading", { name: "red/3.png" });
    expect(search()).toBe("?sample=s-red%2F3.png");
    // The last sample: nothing further to the right.
    fireEvent.keyDown(dialog, { key: "ArrowRight" });
    expect(title()).toBe("red/3.png");

    fireEvent.keyDown(dialog, { key: "ArrowLeft" });
    fireEvent.keyDown(dialog, { key: "ArrowLeft" });
    await screen.findByRole("heading", { name: "red/1.png" });
    // Alt+Left is the browser's Back, not the viewer's.
    fireEvent.keyDown(dialog, { key: "ArrowLeft", altKey: true });
    expect(title()).toBe("red/1.png");

    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(search()).toBe("");
    expect((dialog as HTMLDialogElement).open).toBe(false);
  });
});
