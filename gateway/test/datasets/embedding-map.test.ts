import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMBEDDING_MAP_JOB } from "../../src/datasets/embeddings/maps/embedding-map-job-kind";
import { projectVectors } from "../../src/datasets/embeddings/maps/project-vectors";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../support/texture-dataset";
import { upload } from "./embeddings/embeddings-api";

const SPACE = "FEATURE/3";
const MAP_FIELDS = `id space method status progress error { code message } pointCount computedAt stale
  explainedVariance points { sampleIds classIds coordinates }`;
const COMPUTE = `mutation ($versionId: ID!, $space: String!, $method: ProjectionMethod) {
  computeEmbeddingMap(versionId: $versionId, space: $space, method: $method) { ${MAP_FIELDS} } }`;
const READ = `query ($id: ID!, $space: String!, $method: ProjectionMethod) {
  datasetVersion(id: $id) { embeddingMap(space: $space, method: $method) { ${MAP_FIELDS} } } }`;

interface MapBody {
  id: string;
  status: string;
  pointCount: number;
  stale: boolean;
  explainedVariance: number[] | null;
  points: { sampleIds: string[]; classIds: string[]; coordinates: number[] } | null;
}

/** Spread along x (±2), less along y (±0.5), none along z: PCA's axes are x and y. */
const VECTORS = [
  [-2, -0.5, 1],
  [-2, 0.5, 1],
  [0, -0.5, 1],
  [0, 0.5, 1],
  [2, -0.5, 1],
  [2, 0.5, 1],
];
/** The same points fitted into [-1, 1]: centre (0, 0), half-extent 2. */
const PCA_POINTS = [
  [-1, -0.25],
  [-1, 0.25],
  [0, -0.25],
  [0, 0.25],
  [1, -0.25],
  [1, 0.25],
];

describe("embedding maps", () => {
  let gateway: TestGateway;
  let versionId: string;
  /** The version's samples, sorted: sample i holds VECTORS[i]. */
  let sampleIds: string[];
  const classOf = new Map<string, string>();

  const jobCount = () => gateway.prisma.job.count({ where: { kind: EMBEDDING_MAP_JOB } });
  const compute = async (method: string, token?: string | null) =>
    gateway.gql<{ computeEmbeddingMap: MapBody }>(COMPUTE, { versionId, space: SPACE, method }, token);
  /** Reads the map until its job has finished; the job platform publishes no event we could wait on here. */
  const settled = async (method: string): Promise<MapBody> => {
    for (let tries = 0; tries < 300; tries += 1) {
      const body = await gateway.gql<{ datasetVersion: { embeddingMap: MapBody } }>(READ, {
        id: versionId,
        space: SPACE,
        method,
      });
      expect(body.errors).toBeUndefined();
      const map = body.data!.datasetVersion.embeddingMap;
      if (map.status !== "QUEUED" && map.status !== "RUNNING") return map;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the ${method} map did not finish`);
  };

  beforeAll(async () => {
    gateway = await startTestGateway();
    const data = await generateTextureDataset({
      classes: 2,
      imagesPerClass: 3,
      seed: 5,
      minSide: 32,
      maxSide: 48,
    });
    const uploaded = await upload(gateway, "map", await zipDatasetFiles(data.files), {
      generateEmbeddings: false,
    });
    versionId = uploaded.version.id;
    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId },
      orderBy: { sampleId: "asc" },
    });
    sampleIds = members.map((member) => member.sampleId);
    for (const member of members) classOf.set(member.sampleId, member.classId);
    const space = await gateway.prisma.embeddingSpace.create({
      data: { key: SPACE, method: "FEATURE", dimension: 3 },
    });
    for (const [index, sampleId] of sampleIds.entries()) {
      await gateway.prisma.$executeRaw`
        INSERT INTO "Embedding" ("spaceId", "sampleId", "datasetId", embedding)
        VALUES (${space.id}::uuid, ${sampleId}::uuid, ${uploaded.dataset.id}::uuid, ${`[${VECTORS[index]!.join(",")}]`}::vector)`;
    }
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it("is null until asked for, then computed once by a job and stored with PCA's coordinates", async () => {
    expect((await gateway.gql(READ, { id: versionId, space: SPACE })).data).toEqual({
      datasetVersion: { embeddingMap: null },
    });
    const asked = await compute("PCA");
    expect(asked.errors).toBeUndefined();
    expect(["QUEUED", "RUNNING"]).toContain(asked.data!.computeEmbeddingMap.status);
    expect(asked.data!.computeEmbeddingMap.points).toBeNull();
    const map = await settled("PCA");
    expect(map).toMatchObject({ status: "SUCCEEDED", pointCount: 6, stale: false });
    expect(map.points!.sampleIds).toEqual(sampleIds);
    expect(map.points!.classIds).toEqual(sampleIds.map((id) => classOf.get(id)));
    map.points!.coordinates.forEach((value, index) =>
      expect(value).toBeCloseTo(PCA_POINTS[Math.floor(index / 2)]![index % 2]!, 6),
    );
    expect(map.explainedVariance![0]).toBeCloseTo(16 / 17.5, 6);
    // Hover thumbnails and the lasso's grid ask for samples by id, in the order asked.
    const picked = await gateway.gql<{
      datasetVersion: { embeddingMap: { samples: Array<{ id: string }> } };
    }>(
      `query ($id: ID!, $ids: [ID!]!) { datasetVersion(id: $id) {
        embeddingMap(space: "${SPACE}") { samples(ids: $ids) { id } } } }`,
      { id: versionId, ids: [sampleIds[3], sampleIds[0], "not-an-id"] },
    );
    expect(picked.data!.datasetVersion.embeddingMap.samples).toEqual([
      { id: sampleIds[3] },
      { id: sampleIds[0] },
    ]);
    // A second visit reads the stored map: no second job.
    const again = await compute("PCA");
    expect(again.data!.computeEmbeddingMap).toMatchObject({ id: map.id, status: "SUCCEEDED" });
    expect(await jobCount()).toBe(1);
  });

  it("is NOT_FOUND for another member, who can neither read nor compute it", async () => {
    const member = await gateway.createMember("map-stranger");
    expect((await compute("PCA", member)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const read = await gateway.gql(READ, { id: versionId, space: SPACE }, member);
    expect(read.data).toEqual({ datasetVersion: null });
    expect(await jobCount()).toBe(1);
  });

  it("UMAP: the stored coordinates are the seeded projection's, exactly", async () => {
    expect((await compute("UMAP")).errors).toBeUndefined();
    const map = await settled("UMAP");
    expect(map.status).toBe("SUCCEEDED");
    const expected = projectVectors({
      method: "UMAP",
      vectors: Float32Array.from(VECTORS.flat()),
      count: 6,
      dimension: 3,
    });
    expect(map.points!.coordinates).toEqual(Array.from(expected.coordinates));
  });

  it("is stale once the space's vectors change, and asking again computes it from the new vectors", async () => {
    await gateway.prisma.embedding.deleteMany({ where: { sampleId: sampleIds[5]!, space: { key: SPACE } } });
    expect((await settled("PCA")).stale).toBe(true);
    const jobsBefore = await jobCount();
    const asked = await compute("PCA");
    expect(asked.data!.computeEmbeddingMap.points).toBeNull();
    const map = await settled("PCA");
    expect(map).toMatchObject({ status: "SUCCEEDED", pointCount: 5, stale: false });
    expect(map.points!.sampleIds).toEqual(sampleIds.slice(0, 5));
    expect(await jobCount()).toBe(jobsBefore + 1);
  });

  it("refuses a space that does not exist", async () => {
    const body = await gateway.gql(COMPUTE, { versionId, space: "FEATURE/9", method: "PCA" });
    expect(body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
