import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { defaultMigrationPaths } from "../../src/db/migrations";
import { createLogger } from "../../src/logger";
import { startLocalTier, type LocalTier } from "../../src/tier/local-tier";
import { createEmptyDatabase, onRealServer, type EmptyDatabase } from "../support/database";
import { multipartBody, type GraphQLBody, type TestGateway } from "../support/gateway";
import { spawnGateway, type GatewayProcess } from "../support/gateway-process";
import { generateTextureDataset, zipDatasetFiles } from "../support/texture-dataset";
import { spawnWorker, type WorkerProcess } from "../training/worker/worker-process";
import { buildColourClassifier, expectedPredictions, solidPng } from "../inference/inference-api";
import { VERSION_FIELDS, expectError, namedFiles, type VersionResult } from "../registry/operations";

const TOKEN = "tsr_replicas-test-admin-token-0123456789abcdef";

/** One gateway process seen from outside: GraphQL over HTTP, multipart uploads, WebSockets. */
interface Replica extends Pick<TestGateway, "url" | "gql" | "upload"> {
  name: string;
  socket(token?: string): Client;
}

function replica(name: string, process: GatewayProcess): Replica {
  const graphqlUrl = `${process.url}/graphql`;
  const authorization = (token: string | null | undefined): Record<string, string> =>
    token ? { authorization: `Bearer ${token}` } : {};
  return {
    name,
    url: process.url,
    async gql(query, variables = {}, token = TOKEN) {
      const response = await fetch(graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...authorization(token) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLBody<never>;
    },
    async upload(query, variables, files, token = TOKEN) {
      const body = multipartBody(query, variables, files);
      const response = await fetch(graphqlUrl, {
        method: "POST",
        headers: {
          "content-type": body.contentType,
          "apollo-require-preflight": "true",
          ...authorization(token),
        },
        body: Readable.toWeb(Readable.from(body.chunks())) as ReadableStream,
        duplex: "half",
      } as RequestInit);
      return (await response.json()) as GraphQLBody<never>;
    },
    socket: (token = TOKEN) =>
      createClient({
        url: `${graphqlUrl.replace("http", "ws")}`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      }),
  };
}

function expectNoErrors(body: GraphQLBody<unknown>): void {
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
}

const UPLOAD_MODEL = `
  mutation ($input: UploadModelInput!, $files: [Upload!]!) { uploadModel(input: $input, files: $files) { ${VERSION_FIELDS} } }`;

async function uploadModel(on: Replica, input: Record<string, unknown>, files: Record<string, Buffer>) {
  const body = await on.upload<{ uploadModel: VersionResult }>(UPLOAD_MODEL, { input }, namedFiles(files));
  expectNoErrors(body);
  return body.data!.uploadModel;
}

const CLASSIFY = `
  mutation ($id: ID!, $image: ImageInput!) {
    classifyImage(modelVersionId: $id, image: $image) { modelVersionId predictions { label score index } }
  }`;

function classify(on: Replica, id: string, png: Buffer) {
  return on.upload<{ classifyImage: { modelVersionId: string; predictions: unknown[] } }>(
    CLASSIFY,
    { id, image: { upload: null } },
    [{ variable: "image.upload", filename: "image.png", content: png, contentType: "image/png" }],
  );
}

/**
 * Two gateway replicas (A and B) and a worker process on one real PostgreSQL, one blob directory
 * and one tier, all started at once on an empty database; the replicas run no jobs. What one
 * replica (or the worker) does is seen on the other at once: no test waits for a cache to expire.
 * Real PostgreSQL only (TEST_DATABASE_URL): the embedded database serves one gateway and passes no
 * notifications between connections.
 */
describe.skipIf(!onRealServer)("two gateway replicas and a worker on one PostgreSQL", () => {
  let database: EmptyDatabase;
  let tier: LocalTier;
  let dataDir: string;
  let processes: GatewayProcess[] = [];
  let worker: WorkerProcess | undefined;
  let a: Replica;
  let b: Replica;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    tier = await startLocalTier({ port: 0, tritonUrl: null, logger: createLogger({ level: "silent" }) });
    dataDir = await mkdtemp(path.join(os.tmpdir(), "tessera-replicas-"));
    const shared = {
      DATABASE_URL: database.url,
      INFERENCE_URL: tier.url,
      // One blob store and one secret key for all; each process has its own data directory.
      TESSERA_BLOB_URL: `file://${path.join(dataDir, "blobs")}`,
      TESSERA_SECRET_KEY: randomBytes(32).toString("base64"),
      TESSERA_ADMIN_TOKEN: TOKEN,
      TESSERA_RATE_LIMIT_INFERENCE: "0",
      TESSERA_RATE_LIMIT_UPLOADS: "0",
    };
    const noJobs = {
      TESSERA_TRAINING_WORKERS: "0",
      TESSERA_EMBEDDING_WORKERS: "0",
      TESSERA_RECONSTRUCTION_WORKERS: "0",
      TESSERA_RETRAINING_WORKERS: "0",
      TESSERA_EMBEDDING_MAP_WORKERS: "0",
      TESSERA_ADJUSTMENT_WORKERS: "0",
    };
    const own = (name: string) => ({ TESSERA_DATA_DIR: path.join(dataDir, name) });
    const started = await Promise.allSettled([
      spawnGateway({ ...shared, ...noJobs, ...own("a") }),
      spawnGateway({ ...shared, ...noJobs, ...own("b") }),
      spawnWorker({ ...shared, ...own("worker"), TESSERA_EMBEDDING_WORKERS: "1" }, 120_000),
    ]);
    processes = started.flatMap((result) =>
      result.status === "fulfilled" && "url" in result.value ? [result.value] : [],
    );
    if (started[2].status === "fulfilled") worker = started[2].value;
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    a = replica("A", processes[0]!);
    b = replica("B", processes[1]!);
    prisma = createPrisma(database.url);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...processes.map((process) => process.kill()), worker?.kill()]);
    await prisma?.$disconnect();
    await tier?.stop();
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("applied each migration once, and every process listens on the cluster bus", async () => {
    const migrations = (await readdir(defaultMigrationPaths.migrationsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const applied = await prisma.$queryRaw<Array<{ name: string; times: number }>>`
      SELECT migration_name AS name, count(*)::int AS times FROM _prisma_migrations
      WHERE finished_at IS NOT NULL GROUP BY migration_name ORDER BY migration_name`;
    expect(applied).toEqual(migrations.map((name) => ({ name, times: 1 })));
    const listeners = await prisma.$queryRaw<Array<{ count: number }>>`
      SELECT count(*)::int AS count FROM pg_stat_activity
      WHERE datname = current_database() AND application_name LIKE 'tessera-cluster:%'`;
    expect(listeners).toEqual([{ count: 3 }]);
    expect(await prisma.user.count({ where: { role: "ADMIN" } })).toBe(1);
  });

  it("downloads through B, byte-identical, a file uploaded through A, by B's link and by A's", async () => {
    const weights = randomBytes(300_000);
    const version = await uploadModel(a, { slug: "replicated-file" }, { "model.pt": weights });
    const FILES = `query ($id: ID!) { modelVersion(id: $id) { files { path downloadUrl } } }`;
    type Files = { modelVersion: { files: Array<{ path: string; downloadUrl: string }> } };

    const onB = await b.gql<Files>(FILES, { id: version.id });
    expectNoErrors(onB);
    const linkOfB = onB.data!.modelVersion.files[0]!.downloadUrl;
    expect(linkOfB.startsWith(b.url)).toBe(true);
    const fromB = await fetch(linkOfB);
    expect(fromB.status).toBe(200);
    expect(Buffer.from(await fromB.arrayBuffer()).equals(weights)).toBe(true);

    const linkOfA = (await a.gql<Files>(FILES, { id: version.id })).data!.modelVersion.files[0]!.downloadUrl;
    expect(linkOfA.startsWith(a.url)).toBe(true);
    const fromBByA = await fetch(b.url + linkOfA.slice(a.url.length), {
      headers: { range: "bytes=1000-1999" },
    });
    expect(fromBByA.status).toBe(206);
    expect(Buffer.from(await fromBByA.arrayBuffer()).equals(weights.subarray(1000, 2000))).toBe(true);
  });

  // The replicas run no embedding jobs (TESSERA_EMBEDDING_WORKERS=0): the worker process runs it.
  it("streams to a subscriber on B every event of an embedding job the worker runs, once each and in order", async () => {
    const data = await generateTextureDataset({
      classes: 4,
      imagesPerClass: 40,
      minSide: 48,
      maxSide: 64,
      seed: 3,
    });
    const uploaded = await a.upload<{ uploadDataset: { version: { id: string } } }>(
      `mutation ($input: DatasetInput!, $archive: Upload!) { uploadDataset(input: $input, archive: $archive) { version { id } } }`,
      { input: { name: "replicated-textures" } },
      [{ variable: "archive", filename: "dataset.zip", content: await zipDatasetFiles(data.files) }],
    );
    expectNoErrors(uploaded);
    const versionId = uploaded.data!.uploadDataset.version.id;
    const { jobId } = await prisma.embeddingRun.findFirstOrThrow({ where: { versionId } });

    const client = b.socket();
    const received: Array<{ type: string; seq: number; status?: string }> = [];
    try {
      for await (const event of client.iterate<{
        jobEvents: { __typename: string; seq: number; status?: string };
      }>({
        query: `subscription ($id: ID!) { jobEvents(jobId: $id) {
          __typename
          ... on JobSnapshotEvent { seq }
          ... on JobProgressEvent { seq }
          ... on JobStateEvent { seq status }
        } }`,
        variables: { id: jobId },
      })) {
        expect(event.errors).toBeUndefined();
        const { __typename, seq, status } = event.data!.jobEvents;
        received.push({ type: __typename, seq, ...(status !== undefined && { status }) });
      }
    } finally {
      await client.dispose();
    }

    const [snapshot, ...later] = received;
    expect(snapshot!.type).toBe("JobSnapshotEvent");
    const stored = await prisma.jobEvent.findMany({ where: { jobId: jobId! }, orderBy: { seq: "asc" } });
    const expected = stored
      .filter((event) => event.seq > snapshot!.seq)
      .map((event) =>
        event.type === "state"
          ? { type: "JobStateEvent", seq: event.seq, status: (event.payload as { status: string }).status }
          : { type: "JobProgressEvent", seq: event.seq },
      );
    expect(later).toEqual(expected);
    expect(later.at(-1)).toMatchObject({ type: "JobStateEvent", status: "SUCCEEDED" });
  }, 120_000);

  it("refuses on B's very next request a user deactivated on A, and a token revoked on A", async () => {
    const ME = "query { me { handle } }";
    const created = await a.gql<{ createUser: { id: string } }>(
      `mutation { createUser(input: { handle: "replica-member" }) { id } }`,
    );
    expectNoErrors(created);
    const userId = created.data!.createUser.id;
    const issue = async (name: string) => {
      const body = await a.gql<{ createApiToken: { secret: string; token: { id: string } } }>(
        "mutation ($name: String!, $userId: ID) { createApiToken(name: $name, userId: $userId) { secret token { id } } }",
        { name, userId },
      );
      expectNoErrors(body);
      return body.data!.createApiToken;
    };
    const [first, second] = [await issue("first"), await issue("second")];
    // Both signed in on B a moment ago: B remembers them for a few seconds.
    expect(await b.gql(ME, {}, first.secret)).toEqual({ data: { me: { handle: "replica-member" } } });
    expect(await b.gql(ME, {}, second.secret)).toEqual({ data: { me: { handle: "replica-member" } } });

    expectNoErrors(await a.gql("mutation ($id: ID!) { revokeApiToken(id: $id) }", { id: first.token.id }));
    expectError(
      await b.gql(ME, {}, first.secret),
      "UNAUTHENTICATED",
      "The bearer token is invalid or revoked",
    );
    expect(await b.gql(ME, {}, second.secret)).toEqual({ data: { me: { handle: "replica-member" } } });

    expectNoErrors(await a.gql("mutation ($id: ID!) { deactivateUser(id: $id) { handle } }", { id: userId }));
    expectError(
      await b.gql(ME, {}, second.secret),
      "UNAUTHENTICATED",
      "The bearer token is invalid or revoked",
    );
  });

  it("serves on B's next classification the version an alias moved to on A", async () => {
    const onnx = buildColourClassifier();
    const first = await uploadModel(
      a,
      { slug: "replicated-alias", modelType: "CLASSIFICATION" },
      { "model.onnx": onnx },
    );
    const second = await uploadModel(
      a,
      { slug: "replicated-alias", modelType: "CLASSIFICATION" },
      { "model.onnx": onnx },
    );
    const SET_ALIAS = `mutation ($model: ID!, $version: ID!) {
      setModelAlias(modelId: $model, alias: "production", versionId: $version) { slug } }`;
    expectNoErrors(await a.gql(SET_ALIAS, { model: first.model.id, version: first.id }));
    const deployed = await a.gql<{ deployModelVersion: { state: string } }>(
      `mutation ($id: ID!) { deployModelVersion(id: $id, config: { alias: "production", preprocessing: { mean: [0, 0, 0], std: [1, 1, 1] } }) { state } }`,
      { id: first.id },
    );
    expectNoErrors(deployed);
    expect(deployed.data!.deployModelVersion.state).toBe("READY");
    const red = await solidPng([200, 30, 30]);
    const before = await classify(b, first.id, red);
    expectNoErrors(before);
    expect(before.data!.classifyImage.modelVersionId).toBe(first.id);

    expectNoErrors(await a.gql(SET_ALIAS, { model: first.model.id, version: second.id }));
    // B answered the first version from memory a moment ago; it no longer serves.
    expectError(await classify(b, first.id, red), "CONFLICT", `is serving ${second.version}`);
    const after = await classify(b, second.id, red);
    expectNoErrors(after);
    expect(after.data!.classifyImage).toEqual({
      modelVersionId: second.id,
      predictions: expectedPredictions([200, 30, 30]).map((p) => ({
        ...p,
        score: expect.closeTo(p.score, 5),
      })),
    });
  });

  it("follows on B an upload sent through A with a progress id, from RECEIVING to DONE", async () => {
    const data = await generateTextureDataset({
      classes: 2,
      imagesPerClass: 10,
      minSide: 24,
      maxSide: 32,
      seed: 5,
    });
    const zip = await zipDatasetFiles(data.files);
    const progressId = "replicas-test-progress";
    const client = b.socket();
    const phases: string[] = [];
    let last: Record<string, unknown> | undefined;
    let sawReceiving!: () => void;
    const receiving = new Promise<void>((resolve) => (sawReceiving = resolve));
    const followed = (async () => {
      for await (const result of client.iterate<{ datasetUploadProgress: Record<string, unknown> }>({
        query: `subscription ($progressId: ID!) {
          datasetUploadProgress(progressId: $progressId) { phase processed total rejected etaSeconds } }`,
        variables: { progressId },
      })) {
        last = result.data!.datasetUploadProgress;
        phases.push(last.phase as string);
        if (last.phase === "RECEIVING") sawReceiving();
      }
    })();
    // The second half goes only once B has seen the upload begin on A: B cannot join after the end.
    async function* archive() {
      yield zip.subarray(0, zip.length / 2);
      await receiving;
      yield zip.subarray(zip.length / 2);
    }
    const uploaded = await a.upload<{ uploadDataset: { imageCount: number } }>(
      `mutation ($input: DatasetInput!, $archive: Upload!, $progressId: ID) {
        uploadDataset(input: $input, archive: $archive, progressId: $progressId, generateEmbeddings: false) { imageCount } }`,
      { input: { name: "followed-elsewhere" }, progressId },
      [{ variable: "archive", filename: "dataset.zip", content: Readable.from(archive()) }],
    );
    expectNoErrors(uploaded);
    await followed;
    await client.dispose();
    expect(uploaded.data!.uploadDataset.imageCount).toBe(20);
    expect(phases[0]).toBe("RECEIVING");
    const order = ["RECEIVING", "CHECKING", "SAVING", "DONE"];
    const ranks = phases.map((phase) => order.indexOf(phase));
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    expect(last).toEqual({ phase: "DONE", processed: 20, total: 20, rejected: 0, etaSeconds: 0 });
  }, 60_000);
});
