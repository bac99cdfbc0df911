import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import PairsPage from "../../../src/pairs/pairs-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

afterEach(cleanup);

const stats = (pairs: number) => ({
  __typename: "TrainingPairStats",
  pairs,
  images: pairs * 2,
  sessions: pairs > 0 ? 1 : 0,
  uniqueInstructions: pairs,
  latest: pairs > 0 ? "2026-03-01T10:00:00.000Z" : null,
});

const pair = {
  __typename: "TrainingPair",
  id: "pair-1",
  instruction: "make the sky purple",
  sessionId: "5f2b7c1e-9d3a-4b8e-a1f0-0c9d8e7f6a5b",
  userEmail: "ada@example.com",
  createdAt: "2026-03-01T10:00:00.000Z",
  metadata: {
    original: { format: "png", width: 64, height: 48, sizeBytes: 2048 },
    transformed: { format: "webp", width: 64, height: 48, sizeBytes: 1024 },
  },
  originalUrl: "http://gateway.test/files/training-pairs/pair-1/original?s=1",
  transformedUrl: "http://gateway.test/files/training-pairs/pair-1/transformed?s=1",
};

/** The page's one query answers the counts and a page of pairs together. */
function overview(pairs: number, edges: unknown[]) {
  return {
    data: {
      trainingPairStats: stats(pairs),
      trainingPairs: {
        __typename: "TrainingPairConnection",
        totalCount: edges.length,
        pageInfo: { __typename: "PageInfo", endCursor: null, hasNextPage: false },
        edges: edges.map((node, index) => ({ __typename: "TrainingPairEdge", cursor: String(index), node })),
      },
    },
  };
}

function renderPairs(answers: Record<string, Answer>) {
  const server = fakeGraphQLServer(answers);
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/pairs"]}>
        <PairsPage />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

describe("collected pairs", () => {
  it("shows the counts and each pair with what the gateway measured of its images", async () => {
    renderPairs({
      TrainingPairsOverview: () => overview(1, [pair]),
    });
    const row = await screen.findByRole("row", { name: /make the sky purple/ });
    expect(within(row).getByText("PNG · 64 × 48 · 2.0 kB")).toBeTruthy();
    expect(within(row).getByText("WEBP · 64 × 48 · 1.0 kB")).toBeTruthy();
    expect(within(row).getByText("5f2b7c1e…").getAttribute("title")).toBe(pair.sessionId);
    expect(within(row).getByRole("link", { name: "After: make the sky purple" }).getAttribute("href")).toBe(
      pair.transformedUrl,
    );
    const figures = screen
      .getAllByRole("term")
      .map((term) => `${term.textContent}: ${term.nextElementSibling?.textContent}`);
    expect(figures.slice(0, 4)).toEqual(["Pairs: 1", "Images: 2", "Sessions: 1", "Unique instructions: 1"]);
  });

  it("searches instructions once typing pauses, and says when nothing matches", async () => {
    const server = renderPairs({
      TrainingPairsOverview: (variables) => overview(1, variables.instruction ? [] : [pair]),
    });
    await screen.findByRole("row", { name: /make the sky purple/ });
    fireEvent.change(screen.getByLabelText("Instruction contains"), { target: { value: "zebra" } });
    expect(await screen.findByRole("heading", { name: "No pair has that instruction" })).toBeTruthy();
    expect(server.calls.at(-1)).toEqual({
      operationName: "TrainingPairsOverview",
      variables: { first: 20, instruction: "zebra" },
    });
    fireEvent.change(screen.getByLabelText("Instruction contains"), { target: { value: "" } });
    expect(await screen.findByRole("row", { name: /make the sky purple/ })).toBeTruthy();
  });

  it("explains where pairs come from before any arrive, and offers no export", async () => {
    renderPairs({
      TrainingPairsOverview: () => overview(0, []),
    });
    expect(await screen.findByRole("heading", { name: "No pairs collected yet" })).toBeTruthy();
    expect((screen.getByRole("button", { name: "Export as ZIP" }) as HTMLButtonElement).disabled).toBe(true);

    // What a pair is, who sends it, with what, and a request to copy that the API accepts.
    const about = screen.getByRole("region", { name: "How pairs arrive" });
    expect(about.textContent).toMatch(/Nothing in the dashboard creates them/);
    expect(about.textContent).toMatch(/calls the storeTrainingPair mutation/);
    expect(about.textContent).toMatch(/API tokens/);
    const example = within(about).getByText(/^curl /);
    expect(example.textContent).toContain(`curl ${window.location.origin}/graphql`);
    expect(example.textContent).toContain(
      "storeTrainingPair(original: $before, transformed: $after, instruction:",
    );
    expect(example.textContent).toContain(`-F map='{"0":["variables.before"],"1":["variables.after"]}'`);
  });

  it("shows the server's refusal of the export next to the export button", async () => {
    renderPairs({
      TrainingPairsOverview: () => overview(1, [pair]),
      TrainingPairsExportLink: () => ({
        errors: [{ message: "Sign in to export training pairs", extensions: { code: "UNAUTHENTICATED" } }],
      }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Export as ZIP" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("UNAUTHENTICATED Sign in to export training pairs");
    expect(alert.closest(".pairs-export")).toBeTruthy();
  });
});
