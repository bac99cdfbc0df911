import { ApolloProvider } from "@apollo/client/react";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { SampleCatalog, type SampleTile } from "../../../src/datasets/sample-catalog";
import {
  VersionContext,
  type VersionContextValue,
  type VersionDetail,
} from "../../../src/datasets/version-context";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

export const classes = [
  { __typename: "ClassCount", classId: "c-cat", name: "cat", count: 3 },
  { __typename: "ClassCount", classId: "c-dog", name: "dog", count: 2 },
  { __typename: "ClassCount", classId: "c-fox", name: "fox", count: 1 },
];

export const tile = (id: string, className: string): SampleTile => ({
  sampleId: id,
  originalPath: `${className}/${id}.png`,
  thumbnailUrl: `http://gateway.test/files/thumbnails/${id}`,
  imageUrl: `http://gateway.test/files/samples/${id}`,
  format: "png",
  width: 28,
  height: 28,
  split: null,
  class: { classId: `c-${className}`, name: className },
});

/** s0 cat, s1 cat, s2 dog, s3 cat, s4 fox, s5 dog. */
export const samples = [
  tile("s0", "cat"),
  tile("s1", "cat"),
  tile("s2", "dog"),
  tile("s3", "cat"),
  tile("s4", "fox"),
  tile("s5", "dog"),
];

export const version = {
  __typename: "DatasetVersion",
  id: "dv-3",
  number: 3,
  source: "ZIP",
  message: null,
  imageCount: samples.length,
  classCount: classes.length,
  unlabeledCount: 0,
  createdAt: "2026-03-01T10:00:00.000Z",
  dataset: {
    __typename: "Dataset",
    id: "ds-1",
    name: "pets",
    owner: { __typename: "User", id: "u-ada", handle: "ada" },
  },
  classes,
  skipped: [],
  embeddingStatus: [],
} as unknown as VersionDetail;

/** What the gateway answers for an edit: version 4 of the dataset. */
export const editedVersion = (message: string | null) => ({
  __typename: "DatasetVersion",
  id: "dv-4",
  number: 4,
  source: "EDIT",
  message,
  imageCount: samples.length,
  classCount: classes.length,
  unlabeledCount: 0,
  createdAt: "2026-03-02T10:00:00.000Z",
  dataset: { __typename: "Dataset", id: "ds-1" },
});

export const datasetDetail: Answer = () => ({
  data: {
    dataset: {
      __typename: "Dataset",
      id: "ds-1",
      name: "pets",
      description: null,
      tags: [],
      isPublic: false,
      createdAt: "2026-03-01T10:00:00.000Z",
      updatedAt: "2026-03-02T10:00:00.000Z",
      owner: { __typename: "User", id: "u-ada", handle: "ada" },
      versions: [editedVersion("edit"), { ...editedVersion(null), id: "dv-3", number: 3, source: "ZIP" }],
    },
  },
});

/** Where the page went, and what it said there. */
function Location() {
  const { pathname, state } = useLocation();
  return (
    <output data-testid="location" data-notice={(state as { editNotice?: string } | null)?.editNotice ?? ""}>
      {pathname}
    </output>
  );
}

/** A tab of version 3 of "pets", its owner signed in, with the gateway played by `answers`. */
export function renderVersionTab(
  tab: ReactNode,
  answers: Record<string, Answer>,
  path = "",
  versionChange: Partial<VersionDetail> = {},
) {
  const server = fakeGraphQLServer({ DatasetDetail: datasetDetail, ...answers });
  const catalog = new SampleCatalog(async () => ({
    samples,
    totalCount: samples.length,
    endCursor: null,
    hasNextPage: false,
  }));
  catalog.loadAll();
  const context: VersionContextValue = {
    datasetId: "ds-1",
    version: { ...version, ...versionChange },
    statuses: [],
    readySpaces: [],
    catalog,
    remembered: new Map(),
    remember: () => undefined,
    canEdit: true,
  };
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={[`/datasets/ds-1/versions/3${path}`]}>
        <VersionContext value={context}>
          <Routes>
            <Route path="/datasets/:datasetId/versions/:number/*" element={tab} />
          </Routes>
        </VersionContext>
        <Location />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

export const callsOf = (server: ReturnType<typeof fakeGraphQLServer>, operationName: string) =>
  server.calls.filter((call) => call.operationName === operationName).map((call) => call.variables);
