import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { versionFeatureSpace } from "../../../src/feedback/feature-vectors";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../../support/texture-dataset";
import { finished, STATUS_FIELDS, upload, type Status } from "./embeddings-api";

const EMBED_SAMPLE = `
  mutation ($id: ID!, $sampleId: ID!) {
    embedImage(modelVersionId: $id, image: { sampleId: $sampleId }, method: FEATURE) { vector }
  }`;

const EMBED_VERSION = `
  mutation ($id: ID!, $embedding: EmbeddingOptionsInput) {
    embedDatasetVersion(datasetVersionId: $id, embedding: $embedding) { ${STATUS_FIELDS} }
  }`;

/** system/feature-embedder v1 and v2: new uploads use v2; v1's stored vectors stay valid and read. */
describe("the built-in embedder's versions", () => {
  let gateway: TestGateway;
  let ids: { v1: string; v2: string };
  let versionId: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    const model = await gateway.gql<{ model: { versions: Array<{ id: string; version: string }> } }>(
      '{ model(owner: "system", slug: "feature-embedder") { versions { id version } } }',
    );
    const byName = new Map(model.data!.model.versions.map((version) => [version.version, version.id]));
    ids = { v1: byName.get("v1")!, v2: byName.get("v2")! };
    const data = await generateTextureDataset({
      classes: 2,
      imagesPerClass: 2,
      minSide: 16,
      maxSide: 24,
      seed: 3,
    });
    versionId = (await upload(gateway, "versions", await zipDatasetFiles(data.files))).version.id;
  });

  afterAll(() => gateway?.stop());

  /** The space's stored vectors by sample, and each sample embedded now by `modelVersionId`. */
  async function storedAndFresh(space: string, modelVersionId: string) {
    const stored = await gateway.gql<{
      embeddings: { edges: Array<{ node: { sampleId: string; vector: number[] } }> };
    }>(
      `query ($id: ID!, $space: String!) { embeddings(datasetVersionId: $id, space: $space, first: 10) {
         edges { node { sampleId vector } } } }`,
      { id: versionId, space },
    );
    expect(stored.errors, JSON.stringify(stored.errors)).toBeUndefined();
    const edges = stored.data!.embeddings.edges;
    expect(edges).toHaveLength(4);
    const fresh = await Promise.all(
      edges.map(async ({ node }) => {
        const body = await gateway.gql<{ embedImage: { vector: number[] } }>(EMBED_SAMPLE, {
          id: modelVersionId,
          sampleId: node.sampleId,
        });
        expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
        return body.data!.embedImage.vector;
      }),
    );
    return { stored: edges.map(({ node }) => node.vector), fresh };
  }

  const largestDifference = (a: number[][], b: number[][]) =>
    Math.max(...a.flatMap((vector, row) => vector.map((value, index) => Math.abs(value - b[row]![index]!))));

  it("lists v1 and v2, puts uploads in v2's space, and runs v1 by its id into its old space", async () => {
    expect(Object.values(ids).every(Boolean)).toBe(true);
    expect(await finished(gateway, versionId, "FEATURE/v2/256")).toMatchObject({
      method: "FEATURE",
      modelVersionId: ids.v2,
      state: "SUCCEEDED",
      done: 4,
    });
    const started = await gateway.gql<{ embedDatasetVersion: Status }>(EMBED_VERSION, {
      id: versionId,
      embedding: { modelVersionId: ids.v1 },
    });
    expect(started.errors, JSON.stringify(started.errors)).toBeUndefined();
    expect(started.data!.embedDatasetVersion).toMatchObject({ space: "FEATURE/256", modelVersionId: null });
    expect(await finished(gateway, versionId, "FEATURE/256")).toMatchObject({ state: "SUCCEEDED", done: 4 });

    // Each space holds its own version's vectors (float32 in pgvector, printed shortest): what
    // embedImage gives for that version id now, and not what the other version gives.
    const v1 = await storedAndFresh("FEATURE/256", ids.v1);
    const v2 = await storedAndFresh("FEATURE/v2/256", ids.v2);
    expect(largestDifference(v1.stored, v1.fresh)).toBeLessThan(1e-6);
    expect(largestDifference(v2.stored, v2.fresh)).toBeLessThan(1e-6);
    expect(largestDifference(v1.fresh, v2.fresh)).toBeGreaterThan(0.01);
  });

  it("keeps reading a version embedded under v1 from its v1 vectors (similarity, feedback)", async () => {
    const data = await generateTextureDataset({
      classes: 2,
      imagesPerClass: 2,
      minSide: 16,
      maxSide: 24,
      seed: 5,
    });
    const old = await upload(gateway, "v1-embedded", await zipDatasetFiles(data.files), {
      embedding: { modelVersionId: ids.v1 },
    });
    expect(await finished(gateway, old.version.id, "FEATURE/256")).toMatchObject({
      state: "SUCCEEDED",
      done: 4,
    });
    // A newer version of the same dataset is embedded with the default, v2.
    const more = await generateTextureDataset({
      classes: 2,
      imagesPerClass: 2,
      minSide: 16,
      maxSide: 24,
      seed: 6,
    });
    const newer = await upload(gateway, "v1-embedded", await zipDatasetFiles(more.files));
    expect(await finished(gateway, newer.version.id, "FEATURE/v2/256")).toMatchObject({ state: "SUCCEEDED" });
    // The feedback loop (labelling pools, drift) reads the space each version was embedded in.
    expect((await versionFeatureSpace(gateway.prisma, old.version.id)).key).toBe("FEATURE/256");
    expect((await versionFeatureSpace(gateway.prisma, newer.version.id)).key).toBe("FEATURE/v2/256");
    expect((await versionFeatureSpace(gateway.prisma, null)).key).toBe("FEATURE/v2/256");
    // Similarity search and the raw vectors of the old version default to its space too: the
    // stored v1 vectors, though the dataset's newest run filled v2's.
    const read = (space: string | null) =>
      gateway.gql<{ embeddings: { edges: Array<{ node: { sampleId: string; vector: number[] } }> } }>(
        `query ($id: ID!, $space: String) { embeddings(datasetVersionId: $id, space: $space, first: 10) {
           edges { node { sampleId vector } } } }`,
        { id: old.version.id, space },
      );
    const [implicit, v1] = await Promise.all([read(null), read("FEATURE/256")]);
    expect(implicit.errors, JSON.stringify(implicit.errors)).toBeUndefined();
    expect(implicit.data!.embeddings.edges).toHaveLength(4);
    expect(implicit.data).toEqual(v1.data);
    // Its neighbours are at the cosine distances of its v1 vectors, nearest first.
    const [query, ...others] = v1.data!.embeddings.edges.map(({ node }) => node);
    const similar = await gateway.gql<{ similarSamples: Array<{ distance: number }> }>(
      `query ($id: ID!, $sampleId: ID!) { similarSamples(datasetId: $id, sampleId: $sampleId, k: 3) { distance } }`,
      { id: old.dataset.id, sampleId: query!.sampleId },
    );
    expect(similar.errors, JSON.stringify(similar.errors)).toBeUndefined();
    const expected = others.map(({ vector }) => cosineDistance(query!.vector, vector)).sort((a, b) => a - b);
    const found = similar.data!.similarSamples.map((neighbour) => neighbour.distance);
    expect(found).toHaveLength(3);
    found.forEach((distance, index) => expect(distance).toBeCloseTo(expected[index]!, 5));
  });

  it("refuses a FEATURE run on a model version that is not the built-in embedder, storing nothing", async () => {
    const spaces = await gateway.prisma.embeddingSpace.count();
    const refused = await gateway.gql(EMBED_VERSION, {
      id: versionId,
      embedding: { modelVersionId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await gateway.prisma.embeddingSpace.count()).toBe(spaces);
  });
});

function cosineDistance(a: number[], b: number[]): number {
  const dot = a.reduce((sum, value, index) => sum + value * b[index]!, 0);
  const norm = (v: number[]) => Math.sqrt(v.reduce((sum, value) => sum + value * value, 0));
  return 1 - dot / (norm(a) * norm(b));
}
