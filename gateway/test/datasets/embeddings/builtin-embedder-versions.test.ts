import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** system/feature-embedder v1 and v2: v1's stored vectors stay valid beside v2's. */
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

  it("lists v1 and v2, keeps uploads in v1's space, and runs v2 into a space of its own", async () => {
    expect(Object.values(ids).every(Boolean)).toBe(true);
    expect(await finished(gateway, versionId, "FEATURE/256")).toMatchObject({
      method: "FEATURE",
      modelVersionId: null,
      state: "SUCCEEDED",
      done: 4,
    });
    const started = await gateway.gql<{ embedDatasetVersion: Status }>(EMBED_VERSION, {
      id: versionId,
      embedding: { modelVersionId: ids.v2 },
    });
    expect(started.errors, JSON.stringify(started.errors)).toBeUndefined();
    expect(started.data!.embedDatasetVersion).toMatchObject({
      space: "FEATURE/v2/256",
      modelVersionId: ids.v2,
    });
    expect(await finished(gateway, versionId, "FEATURE/v2/256")).toMatchObject({
      state: "SUCCEEDED",
      done: 4,
    });

    // Each space holds its own version's vectors (float32 in pgvector, printed shortest): what
    // embedImage gives for that version id now, and not what the other version gives.
    const v1 = await storedAndFresh("FEATURE/256", ids.v1);
    const v2 = await storedAndFresh("FEATURE/v2/256", ids.v2);
    expect(largestDifference(v1.stored, v1.fresh)).toBeLessThan(1e-6);
    expect(largestDifference(v2.stored, v2.fresh)).toBeLessThan(1e-6);
    expect(largestDifference(v1.fresh, v2.fresh)).toBeGreaterThan(0.01);
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
