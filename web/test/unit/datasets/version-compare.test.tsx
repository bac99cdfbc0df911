import { ApolloProvider } from "@apollo/client/react";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { VersionCompare } from "../../../src/datasets/version-compare";
import type { VersionSummaryFragment } from "../../../src/gql/graphql";
import { fakeGraphQLServer } from "../fake-graphql-server";

afterEach(cleanup);

const summary = (id: string, number: number, imageCount: number): VersionSummaryFragment => ({
  id,
  number,
  source: "ZIP",
  message: null,
  imageCount,
  classCount: 2,
  unlabeledCount: 0,
  createdAt: "2026-03-01T10:00:00.000Z",
});

const classDiff = (name: string, added: number, removed: number, before: number, after: number) => ({
  __typename: "ClassDiff",
  name,
  added,
  removed,
  before,
  after,
});

describe("comparing two versions", () => {
  it("shows content-based totals and a per-class table whose sums agree with them", async () => {
    // A re-upload as in the issue: 55 byte-identical images, 3 new ones, 5 gone, and one image moved class.
    const server = fakeGraphQLServer({
      VersionDiff: () => ({
        data: {
          datasetVersion: {
            __typename: "DatasetVersion",
            id: "dv-2",
            diff: {
              __typename: "VersionDiff",
              added: 3,
              removed: 5,
              relabelled: 1,
              unchanged: 55,
              classes: [classDiff("boots", 3, 3, 31, 31), classDiff("sandals", 1, 3, 30, 28)],
            },
          },
        },
      }),
    });
    render(
      <ApolloProvider client={server.client}>
        <VersionCompare versions={[summary("dv-2", 2, 59), summary("dv-1", 1, 61)]} />
      </ApolloProvider>,
    );
    const table = await screen.findByRole("table", { name: "Samples per class" });
    expect(screen.getByText(/^\+3 added · −5 removed · 1 relabelled · 55 unchanged$/)).toBeTruthy();
    const rows = within(table)
      .getAllByRole("row")
      .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ["Class", "v1", "v2", "Change", "Added", "Removed"],
      ["sandals", "30", "28", "−2 shrank", "+1", "−3"],
      ["boots", "31", "31", "0 ", "+3", "−3"],
      // Each relabel is one class's addition and another's removal: +3 and −5 totals, plus the 1 relabel.
      ["All classes", "61", "59", "−2", "+4", "−6"],
    ]);
    expect(server.calls).toEqual([
      { operationName: "VersionDiff", variables: { id: "dv-2", against: "dv-1" } },
    ]);
  });
});
