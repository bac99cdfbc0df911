import { describe, expect, it } from "vitest";
import { fetchAllVectors, type VectorPage } from "../../../src/datasets/embedding-vectors";
import {
  describeProgress,
  readySpaces,
  withStatus,
  type EmbeddingStatus,
} from "../../../src/datasets/embedding-statuses";
import { EmbeddingMethod, EmbeddingRunState } from "../../../src/gql/graphql";

describe("fetchAllVectors", () => {
  it("follows the cursor to the last page and packs the vectors row by row", async () => {
    const pages: Record<string, VectorPage> = {
      first: {
        entries: [
          { sampleId: "a", vector: [1, 2, 3] },
          { sampleId: "b", vector: [4, 5, 6] },
        ],
        totalCount: 3,
        endCursor: "c1",
        hasNextPage: true,
      },
      c1: {
        entries: [{ sampleId: "c", vector: [7, 8, 9] }],
        totalCount: 3,
        endCursor: "c2",
        hasNextPage: false,
      },
    };
    const progress: Array<[number, number]> = [];
    const vectors = await fetchAllVectors(
      async (after) => pages[after ?? "first"]!,
      (loaded, total) => progress.push([loaded, total]),
      new AbortController().signal,
    );
    expect(vectors.sampleIds).toEqual(["a", "b", "c"]);
    expect(vectors.dimension).toBe(3);
    expect(Array.from(vectors.values)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress).toEqual([
      [2, 3],
      [3, 3],
    ]);
  });

  it("refuses vectors of different lengths instead of drawing them wrong", async () => {
    const page: VectorPage = {
      entries: [
        { sampleId: "a", vector: [1, 2] },
        { sampleId: "b", vector: [1, 2, 3] },
      ],
      totalCount: 2,
      endCursor: null,
      hasNextPage: false,
    };
    await expect(
      fetchAllVectors(
        async () => page,
        () => {},
        new AbortController().signal,
      ),
    ).rejects.toThrow("The vector of sample b has 3 values; the others have 2");
  });
});

const status = (space: string, state: EmbeddingRunState, done: number, failed = 0): EmbeddingStatus => ({
  space,
  method: EmbeddingMethod.Feature,
  dimension: 256,
  modelVersionId: null,
  state,
  done,
  total: 40,
  failed,
  error: null,
  qualityThreshold: null,
});

describe("embedding statuses", () => {
  it("replace the status of the same space as the live updates come, keeping other spaces", () => {
    const first = [
      status("FEATURE/256", EmbeddingRunState.Running, 10),
      status("FEATURE/64", EmbeddingRunState.Succeeded, 40),
    ];
    const next = withStatus(first, status("FEATURE/256", EmbeddingRunState.Succeeded, 40));
    expect(next.map((entry) => [entry.space, entry.state, entry.done])).toEqual([
      ["FEATURE/256", "SUCCEEDED", 40],
      ["FEATURE/64", "SUCCEEDED", 40],
    ]);
    expect(
      withStatus(first, status("ML/x/512", EmbeddingRunState.Queued, 0)).map((entry) => entry.space),
    ).toEqual(["FEATURE/256", "FEATURE/64", "ML/x/512"]);
    expect(readySpaces(first)).toEqual(["FEATURE/64"]);
  });

  it("describe progress in images", () => {
    expect(describeProgress(status("FEATURE/256", EmbeddingRunState.Running, 12))).toBe(
      "12 of 40 images embedded",
    );
    expect(describeProgress(status("FEATURE/256", EmbeddingRunState.Succeeded, 38, 2))).toBe(
      "38 of 40 images embedded · 2 could not be embedded",
    );
  });
});
