import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEmbeddedDatabaseUrl } from "../../src/training/worker/embedded-database-url";
import { UPLOAD_DATASET } from "../datasets/uploads/dataset-uploads";
import { multipartBody } from "../support/gateway";
import { spawnGateway, type GatewayProcess } from "../support/gateway-process";
import { startS3Server, type TestS3Server } from "../support/s3-server";
import { generateTextureDataset, zipDatasetFiles } from "../support/texture-dataset";

const TOKEN = "tsr_s3-orphan-blob-sweep-test-admin-token-0123456789";
const SWEEP_LINE = /"msg":"blob sweep removed files left by interrupted uploads"/;
const PREFIX = "crash/";
const STARTUP_MS = 180_000;

/** Polls `read` until `done` holds for what it returns; the last value otherwise, after `timeoutMs`. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A dataset upload POSTed as a stream; `holdAfterBytes` stops sending partway through the archive. */
function postUpload(gateway: GatewayProcess, zip: Buffer, holdAfterBytes?: number): Promise<unknown> {
  const body = multipartBody(UPLOAD_DATASET, { input: { name: "crash" } }, [
    { variable: "archive", filename: "dataset.zip", content: zip, contentType: "application/zip" },
  ]);
  async function* chunks() {
    for await (const chunk of body.chunks()) {
      if (holdAfterBytes === undefined || chunk !== zip) yield chunk;
      else {
        yield chunk.subarray(0, holdAfterBytes);
        await new Promise(() => {});
      }
    }
  }
  return fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": body.contentType,
      "apollo-require-preflight": "true",
      authorization: `Bearer ${TOKEN}`,
    },
    body: Readable.toWeb(Readable.from(chunks())) as ReadableStream,
    duplex: "half",
  } as RequestInit).catch((error: unknown) => error);
}

let s3: TestS3Server;
let dataDir: string;
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  s3 = await startS3Server();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "tessera-s3-orphans-"));
});

afterAll(async () => {
  await gateway?.kill();
  await s3?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("a gateway on S3 killed mid-upload", () => {
  it(
    "leaves, after the restart's sweep, only objects a Blob row names, no temporary object and no local copy",
    async () => {
      const env = { TESSERA_DATA_DIR: dataDir, TESSERA_ADMIN_TOKEN: TOKEN, ...s3.gatewayEnv(PREFIX) };
      const blobKeys = async () => (await s3.keys(PREFIX)).filter((key) => key.startsWith("blobs/"));
      const [dataset, started] = await Promise.all([
        generateTextureDataset({ classes: 4, imagesPerClass: 600, minSide: 8, maxSide: 12 }),
        // Generous: the machine running the suite may be busy; only a gateway that never starts fails.
        spawnGateway(env, STARTUP_MS),
      ]);
      gateway = started;
      const crashedPid = gateway.child.pid!;
      const zip = await zipDatasetFiles(dataset.files);
      const objectsAtStart = (await blobKeys()).length;

      // One upload is storing its images (its archive leased as a local copy) when the crash comes;
      // another is still arriving.
      void postUpload(gateway, zip);
      void postUpload(gateway, zip, zip.length >> 1);
      const caught = await until(blobKeys, (keys) => keys.length >= objectsAtStart + 50, 30_000);
      expect(caught.length).toBeGreaterThanOrEqual(objectsAtStart + 50);
      const cacheRoot = path.join(dataDir, "blob-cache");
      expect(await readdir(cacheRoot)).toEqual([`${os.hostname()}-${crashedPid}`]);
      await gateway.kill();

      gateway = await spawnGateway(
        {
          ...env,
          TESSERA_MAX_UPLOAD_SECONDS: "1",
          TESSERA_ORPHAN_BLOB_GRACE_SECONDS: "1",
          TESSERA_BLOB_SWEEP_SECONDS: "1",
        },
        STARTUP_MS,
      );
      await gateway.waitForOutput(SWEEP_LINE, 30_000);
      const database = new pg.Client({ connectionString: await readEmbeddedDatabaseUrl(dataDir) });
      await database.connect();
      try {
        const state = async () => {
          const { rows } = await database.query<{ sha256: string }>(`SELECT "sha256" FROM "Blob"`);
          const recorded = new Set(rows.map((row) => row.sha256));
          const objects = (await blobKeys()).map((key) => key.slice("blobs/".length));
          return {
            unrecordedObjects: objects.filter((sha256) => !recorded.has(sha256)).length,
            rowsWithoutObject: rows.length - objects.filter((sha256) => recorded.has(sha256)).length,
            temporaryObjects: (await s3.keys(`${PREFIX}tmp/`)).length,
            datasets: Number((await database.query(`SELECT count(*) FROM "Dataset"`)).rows[0].count),
          };
        };
        // An object younger than the grace at the first pass goes at a later one.
        const after = await until(
          state,
          (s) => s.unrecordedObjects === 0 && s.temporaryObjects === 0,
          30_000,
        );
        expect(after).toEqual({
          unrecordedObjects: 0,
          rowsWithoutObject: 0,
          temporaryObjects: 0,
          datasets: 0,
        });
      } finally {
        await database.end();
      }
      const swept = gateway
        .output()
        .split("\n")
        .filter((line) => SWEEP_LINE.test(line))
        .map((line) => JSON.parse(line) as { orphanFiles: number });
      expect(swept.reduce((sum, line) => sum + line.orphanFiles, 0)).toBeGreaterThanOrEqual(
        caught.length - objectsAtStart,
      );
      // The crashed process's local copies went with its folder; only the new process's own remains.
      const newFolder = `${os.hostname()}-${gateway.child.pid}`;
      expect((await readdir(cacheRoot)).filter((name) => name !== newFolder)).toEqual([]);
    },
    3 * STARTUP_MS + 60_000,
  );

  it("refuses to start on a TESSERA_BLOB_URL it cannot use, naming the variable", async () => {
    const badDir = await mkdtemp(path.join(os.tmpdir(), "tessera-bad-blob-url-"));
    try {
      await expect(
        spawnGateway({ TESSERA_DATA_DIR: badDir, TESSERA_BLOB_URL: "ftp://blobs.example/x" }, 60_000),
      ).rejects.toThrow(
        'TESSERA_BLOB_URL must be file:///absolute/dir or s3://bucket/prefix, got \\"ftp://blobs.example/x\\": unknown scheme \\"ftp:\\"',
      );
    } finally {
      await rm(badDir, { recursive: true, force: true });
    }
  }, 90_000);
});
