import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { createLogger } from "../../src/logger";
import { startLocalTier, type LocalTier } from "../../src/tier/local-tier";
import { createEmptyDatabase, onRealServer, type EmptyDatabase } from "../support/database";
import { multipartBody, type GraphQLBody } from "../support/gateway";
import { spawnGateway, type GatewayProcess } from "../support/gateway-process";
import { namedFiles, UPLOAD_MODEL } from "../registry/operations";

const TOKEN = "tsr_quota-race-test-admin-token-0123456789abcdef";
const LIMIT = 1000;
const UPLOAD_BYTES = 600;
/** Uploads sent at once, alternating between the replicas: any two of them exceed the limit. */
const UPLOADS = 6;

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, token = TOKEN) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLBody<T>;
}

async function uploadModel(url: string, slug: string, content: Buffer, token: string) {
  const body = multipartBody(
    UPLOAD_MODEL,
    { input: { slug, framework: "OTHER" } },
    namedFiles({ "w.bin": content }),
  );
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": body.contentType,
      "apollo-require-preflight": "true",
      authorization: `Bearer ${token}`,
    },
    body: Readable.toWeb(Readable.from(body.chunks())) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  return (await response.json()) as GraphQLBody<unknown>;
}

/**
 * The stored-bytes quota holds across replicas: uploads sent at once through two gateway processes
 * on one PostgreSQL, each within the limit alone and any two over it, are admitted one at a time
 * under the user's lock at the commit point, so exactly one is stored.
 */
describe.skipIf(!onRealServer)("the stored-bytes quota across two replicas", () => {
  let database: EmptyDatabase;
  let tier: LocalTier;
  let dataDir: string;
  let replicas: GatewayProcess[] = [];
  let prisma: PrismaClient;
  let member: string;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    tier = await startLocalTier({ port: 0, tritonUrl: null, logger: createLogger({ level: "silent" }) });
    dataDir = await mkdtemp(path.join(os.tmpdir(), "tessera-quota-race-"));
    const env = {
      DATABASE_URL: database.url,
      INFERENCE_URL: tier.url,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_BLOB_URL: `file://${path.join(dataDir, "blobs")}`,
      TESSERA_ADMIN_TOKEN: TOKEN,
      TESSERA_RATE_LIMIT_UPLOADS: "0",
      TESSERA_QUOTA_STORED_BYTES: String(LIMIT),
      TESSERA_TRAINING_WORKERS: "0",
      TESSERA_EMBEDDING_WORKERS: "0",
      TESSERA_RECONSTRUCTION_WORKERS: "0",
      TESSERA_RETRAINING_WORKERS: "0",
    };
    const started = await Promise.allSettled([spawnGateway(env), spawnGateway(env)]);
    replicas = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    prisma = createPrisma(database.url);
    const created = await gql<{ createUser: { id: string } }>(
      replicas[0]!.url,
      'mutation { createUser(input: { handle: "racer" }) { id } }',
      {},
    );
    const issued = await gql<{ createApiToken: { secret: string } }>(
      replicas[1]!.url,
      'mutation ($userId: ID!) { createApiToken(name: "race", userId: $userId) { secret } }',
      { userId: created.data!.createUser.id },
    );
    member = issued.data!.createApiToken.secret;
  }, 240_000);

  /** Blob files in the shared directory, the temp folder left out. */
  const blobFiles = async () => {
    const blobRoot = path.join(dataDir, "blobs");
    const entries = await readdir(blobRoot, { recursive: true, withFileTypes: true });
    return entries.filter(
      (entry) => entry.isFile() && path.relative(blobRoot, entry.parentPath).split(path.sep)[0] !== "tmp",
    ).length;
  };

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill()));
    await prisma?.$disconnect();
    await tier?.stop();
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("stores exactly one of several uploads that together exceed the limit, and nothing of the others", async () => {
    // The built-in models are there from the start.
    const before = {
      versions: await prisma.modelVersion.count(),
      blobs: await prisma.blob.count(),
      files: await blobFiles(),
    };
    const answers = await Promise.all(
      Array.from({ length: UPLOADS }, (_, index) =>
        uploadModel(
          replicas[index % 2]!.url,
          `race-${index}`,
          Buffer.alloc(UPLOAD_BYTES, String.fromCharCode(97 + index)),
          member,
        ),
      ),
    );
    const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? "OK").sort();
    expect(codes).toEqual(["OK", ...Array<string>(UPLOADS - 1).fill("QUOTA_EXCEEDED")]);

    expect(await prisma.modelVersion.count()).toBe(before.versions + 1);
    expect(await prisma.blob.count()).toBe(before.blobs + 1);
    expect(await blobFiles()).toBe(before.files + 1);
    const usage = await gql<{ me: { usage: { storedBytes: { used: number; limit: number } } } }>(
      replicas[1]!.url,
      "{ me { usage { storedBytes { used limit } } } }",
      {},
      member,
    );
    expect(usage.data!.me.usage.storedBytes).toEqual({ used: UPLOAD_BYTES, limit: LIMIT });
  });
});
