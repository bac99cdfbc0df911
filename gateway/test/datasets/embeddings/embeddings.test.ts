import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexName } from "../../../src/vectors/vector-store";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles, type TextureDataset } from "../../support/texture-dataset";
import {
  finished,
  postUpload,
  SIMILAR,
  STATUS_FIELDS,
  upload,
  type Similar,
  type Status,
  type Uploaded,
} from "./embeddings-api";

const CLASSES = 4;
const PER_CLASS = 6;

describe("dataset embeddings", () => {
  let gateway: TestGateway;
  let data: TextureDataset;
  let zip: Buffer;
  let uploaded: Uploaded;
  /** Sample id → class name, for the uploaded version. */
  const classOf = new Map<string, string>();

  beforeAll(async () => {
    gateway = await startTestGateway();
    data = await generateTextureDataset({ classes: CLASSES, imagesPerClass: PER_CLASS, seed: 11 });
    zip = await zipDatasetFiles(data.files);
    uploaded = await upload(gateway, "textures", zip, { embedding: { qualityThreshold: 0.5 } });
    const samples = await gateway.prisma.versionSample.findMany({
      where: { versionId: uploaded.version.id },
      include: { class: true },
    });
    for (const s of samples) classOf.set(s.sampleId, s.class.name);
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it("embeds every image of an upload into FEATURE/v2/256 (the built-in embedder v2) and indexes the space", async () => {
    expect(uploaded.embeddingsQueued).toBe(true);
    const status = await finished(gateway, uploaded.version.id, "FEATURE/v2/256");
    const v2 = await gateway.prisma.modelVersion.findFirstOrThrow({
      where: { model: { slug: "feature-embedder", owner: { isSystem: true } }, version: "v2" },
    });
    expect(status).toEqual({
      space: "FEATURE/v2/256",
      method: "FEATURE",
      dimension: 256,
      modelVersionId: v2.id,
      total: CLASSES * PER_CLASS,
      done: CLASSES * PER_CLASS,
      failed: 0,
      state: "SUCCEEDED",
      error: null,
    });
    const space = await gateway.prisma.embeddingSpace.findUniqueOrThrow({ where: { key: "FEATURE/v2/256" } });
    const rows = await gateway.prisma.$queryRaw<Array<{ n: number; dims: number; scored: number }>>`
      SELECT count(*)::int AS n, min(vector_dims(embedding))::int AS dims, count(quality)::int AS scored
      FROM "Embedding" WHERE "spaceId" = ${space.id}::uuid AND "datasetId" = ${uploaded.dataset.id}::uuid`;
    expect(rows[0]).toEqual({ n: CLASSES * PER_CLASS, dims: 256, scored: CLASSES * PER_CLASS });
    const indexes = await gateway.prisma.$queryRaw<Array<{ indexdef: string }>>`
      SELECT indexdef FROM pg_indexes WHERE indexname = ${indexName(space)}`;
    expect(indexes[0]?.indexdef).toContain("hnsw");
  });

  it("finds k similar samples of a sample, nearest first, itself left out, mostly of its class", async () => {
    let sameClass = 0;
    let total = 0;
    for (const sampleId of [...classOf.keys()].slice(0, 8)) {
      const body = await gateway.gql<{ similarSamples: Similar[] }>(SIMILAR, {
        datasetId: uploaded.dataset.id,
        sampleId,
        k: 5,
      });
      expect(body.errors).toBeUndefined();
      const found = body.data!.similarSamples;
      expect(found).toHaveLength(5);
      expect(found.map((f) => f.sample.id)).not.toContain(sampleId);
      const distances = found.map((f) => f.distance);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      sameClass += found.filter((f) => f.sample.class.name === classOf.get(sampleId)).length;
      total += found.length;
    }
    // Classes differ in colour and pattern: the colour/texture embedder keeps them apart.
    expect(sameClass / total).toBeGreaterThanOrEqual(0.8);
  });

  it("finds samples like an uploaded image, across the datasets the viewer can see", async () => {
    const image = data.files[PER_CLASS]!; // the first image of the second class
    const body = await gateway.upload<{ similarSamples: Similar[] }>(SIMILAR, { image: null, k: 3 }, [
      { variable: "image", filename: "query.jpg", content: image.bytes, contentType: "image/jpeg" },
    ]);
    expect(body.errors).toBeUndefined();
    const found = body.data!.similarSamples;
    expect(found).toHaveLength(3);
    // The same bytes are in the dataset: the nearest is that very sample, at distance ~0.
    expect(found[0]!.distance).toBeLessThan(1e-5);
    expect(found.every((f) => f.sample.class.name === data.images[PER_CLASS]!.className)).toBe(true);
  });

  it("refuses both or neither of sampleId and image", async () => {
    const body = await gateway.gql(SIMILAR, { datasetId: uploaded.dataset.id });
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("scores embedding quality against the class centroid and flags nothing typical", async () => {
    const body = await gateway.gql<{
      datasetVersion: {
        embeddingStatus: Array<{ flaggedSampleIds: string[] }>;
        samples: { edges: Array<{ node: { embeddingQuality: number } }> };
      };
    }>(
      `query ($id: ID!) { datasetVersion(id: $id) {
         embeddingStatus { flaggedSampleIds }
         samples(first: 50) { edges { node { embeddingQuality(space: "FEATURE/v2/256") } } } } }`,
      { id: uploaded.version.id },
    );
    expect(body.errors).toBeUndefined();
    const qualities = body.data!.datasetVersion.samples.edges.map((e) => e.node.embeddingQuality);
    expect(qualities).toHaveLength(CLASSES * PER_CLASS);
    for (const q of qualities) expect(q).toBeGreaterThan(0.5);
    expect(body.data!.datasetVersion.embeddingStatus[0]!.flaggedSampleIds).toEqual([]);
  });

  it("embeds the version into a second space of another dimension beside the first", async () => {
    const body = await gateway.gql<{ embedDatasetVersion: Status }>(
      `mutation ($id: ID!) { embedDatasetVersion(datasetVersionId: $id, embedding: { dimension: 32 }) { ${STATUS_FIELDS} } }`,
      { id: uploaded.version.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.embedDatasetVersion).toMatchObject({
      space: "FEATURE/v2/32",
      state: "QUEUED",
      total: 24,
    });
    expect(await finished(gateway, uploaded.version.id, "FEATURE/v2/32")).toMatchObject({
      state: "SUCCEEDED",
      done: CLASSES * PER_CLASS,
    });
    const vectors = await gateway.gql<{
      embeddings: { totalCount: number; edges: Array<{ node: { sampleId: string; vector: number[] } }> };
    }>(
      `query ($id: ID!) { embeddings(datasetVersionId: $id, space: "FEATURE/v2/32", first: 5) {
         totalCount edges { node { sampleId vector } } } }`,
      { id: uploaded.version.id },
    );
    expect(vectors.errors).toBeUndefined();
    expect(vectors.data!.embeddings.totalCount).toBe(CLASSES * PER_CLASS);
    expect(vectors.data!.embeddings.edges).toHaveLength(5);
    for (const edge of vectors.data!.embeddings.edges) expect(edge.node.vector).toHaveLength(32);
    const found = await gateway.gql<{ similarSamples: Similar[] }>(SIMILAR, {
      sampleId: [...classOf.keys()][0],
      k: 3,
      space: "FEATURE/v2/256",
    });
    expect(found.data!.similarSamples).toHaveLength(3);
  });

  it("refuses bad embedding options before storing anything", async () => {
    const before = await gateway.prisma.datasetVersion.count();
    for (const [embedding, field] of [
      [{ dimension: 0 }, "embedding.dimension"],
      [{ dimension: 2001 }, "embedding.dimension"],
      [{ method: "ML" }, "embedding.modelVersionId"],
    ] as const) {
      const body = await postUpload(gateway, "refused", zip, { embedding });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    expect(await gateway.prisma.datasetVersion.count()).toBe(before);
  });

  it("queues nothing when generateEmbeddings is false", async () => {
    const plain = await upload(gateway, "no-embeddings", zip, { generateEmbeddings: false });
    expect(plain.embeddingsQueued).toBe(false);
    expect(await gateway.prisma.embeddingRun.count({ where: { versionId: plain.version.id } })).toBe(0);
  });

  it("streams progress over graphql-ws to a late subscriber, ending in SUCCEEDED", async () => {
    const client = createClient({
      url: `${gateway.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    });
    try {
      const fresh = await upload(gateway, "subscribed", zip, { embedding: { dimension: 64 } });
      const events: Status[] = [];
      const subscription = client.iterate<{ embeddingProgress: Status }>({
        query: `subscription ($id: ID!) { embeddingProgress(datasetVersionId: $id) { ${STATUS_FIELDS} } }`,
        variables: { id: fresh.version.id },
      });
      for await (const event of subscription) {
        expect(event.errors).toBeUndefined();
        events.push(event.data!.embeddingProgress);
        if (event.data!.embeddingProgress.state === "SUCCEEDED") break;
      }
      expect(events.at(-1)).toMatchObject({
        space: "FEATURE/v2/64",
        state: "SUCCEEDED",
        done: 24,
        total: 24,
      });
      const done = events.map((e) => e.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
    } finally {
      await client.dispose();
    }
  });

  it("keeps streaming: a run queued after subscribing shows up, and leaving releases the job logs", async () => {
    const client = createClient({
      url: `${gateway.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    });
    try {
      const fresh = await upload(gateway, "followed", zip, { embedding: { dimension: 48 } });
      await finished(gateway, fresh.version.id, "FEATURE/v2/48");
      const events: Status[] = [];
      const subscription = client.iterate<{ embeddingProgress: Status }>({
        query: `subscription ($id: ID!) { embeddingProgress(datasetVersionId: $id) { ${STATUS_FIELDS} } }`,
        variables: { id: fresh.version.id },
      });
      let queued = false;
      for await (const event of subscription) {
        expect(event.errors).toBeUndefined();
        const status = event.data!.embeddingProgress;
        events.push(status);
        if (!queued && status.space === "FEATURE/v2/48" && status.state === "SUCCEEDED") {
          queued = true;
          const body = await gateway.gql(
            `mutation ($id: ID!) { embedDatasetVersion(datasetVersionId: $id, embedding: { dimension: 40 }) { state } }`,
            { id: fresh.version.id },
          );
          expect(body.errors).toBeUndefined();
        }
        if (status.space === "FEATURE/v2/40" && status.state === "SUCCEEDED") break;
      }
      expect(events[0]).toMatchObject({ space: "FEATURE/v2/48", state: "SUCCEEDED" });
      expect(events.at(-1)).toMatchObject({
        space: "FEATURE/v2/40",
        state: "SUCCEEDED",
        done: 24,
        total: 24,
      });
      const log = gateway.running.services.jobs.events;
      await expect.poll(() => log.upstreamCount, { timeout: 5_000 }).toBe(0);
    } finally {
      await client.dispose();
    }
  });
});
