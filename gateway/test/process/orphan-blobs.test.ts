import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { readEmbeddedDatabaseUrl } from "../../src/training/worker/embedded-database-url";
import { UPLOAD_DATASET } from "../datasets/uploads/dataset-uploads";
import { multipartBody } from "../support/gateway";
import { spawnGateway, type GatewayProcess } from "../support/gateway-process";
import { generateTextureDataset, zipDatasetFiles } from "../support/texture-dataset";

const TOKEN = "tsr_orphan-blob-sweep-test-admin-token-0123456789";
const SWEEP_LINE = /"msg":"blob sweep removed files left by interrupted uploads"/;

/** Polls `read` until `done` holds for what it returns; the last value otherwise, after `timeoutMs`. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A dataset upload POSTed as a stream; `holdAfterBytes` stops sending partway through the
 * archive, as a slow client would, so the gateway is caught with a half-written temp file.
 */
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

/** kill -9 in the middle of uploads, then a restart: nothing the uploads wrote may stay behind. */
describe("blob files after a crash mid-upload", () => {
  let dataDir: string;
  let gateway: GatewayProcess | undefined;

  afterAll(async () => {
    await gateway?.kill();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("are all referenced by a Blob row after the restart's sweep, and no temp file remains", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "tessera-orphans-"));
    const blobRoot = path.join(dataDir, "blobs");
    const blobFiles = async () =>
      (await readdir(blobRoot, { recursive: true, withFileTypes: true }).catch(() => []))
        .filter((e) => e.isFile() && path.relative(blobRoot, e.parentPath).split(path.sep)[0] !== "tmp")
        .map((e) => e.name);
    const tempFiles = async () => readdir(path.join(blobRoot, "tmp")).catch(() => []);
    const env = { TESSERA_DATA_DIR: dataDir, TESSERA_ADMIN_TOKEN: TOKEN };
    const [dataset, started] = await Promise.all([
      generateTextureDataset({ classes: 4, imagesPerClass: 600, minSide: 8, maxSide: 12 }),
      spawnGateway(env),
    ]);
    gateway = started;
    const zip = await zipDatasetFiles(dataset.files);
    const filesAtStart = (await blobFiles()).length;

    // One upload is storing its images when the crash comes; another is still arriving.
    void postUpload(gateway, zip);
    void postUpload(gateway, zip, zip.length >> 1);
    const caught = await until(
      async () => ({ files: (await blobFiles()).length, temp: (await tempFiles()).length }),
      ({ files, temp }) => files >= filesAtStart + 50 && temp > 0,
      30_000,
    );
    expect(caught.files).toBeGreaterThanOrEqual(filesAtStart + 50);
    expect(caught.temp).toBeGreaterThan(0);
    await gateway.kill();

    gateway = await spawnGateway({
      ...env,
      TESSERA_MAX_UPLOAD_SECONDS: "1",
      TESSERA_ORPHAN_BLOB_GRACE_SECONDS: "1",
      TESSERA_BLOB_SWEEP_SECONDS: "1",
    });
    await gateway.waitForOutput(SWEEP_LINE, 30_000);
    const database = new pg.Client({ connectionString: await readEmbeddedDatabaseUrl(dataDir) });
    await database.connect();
    try {
      const state = async () => {
        const { rows } = await database.query<{ sha256: string }>(`SELECT "sha256" FROM "Blob"`);
        const recorded = new Set(rows.map((row) => row.sha256));
        const files = await blobFiles();
        return {
          unrecordedFiles: files.filter((file) => !recorded.has(file)).length,
          rowsWithoutFile: rows.length - files.filter((file) => recorded.has(file)).length,
          tempFiles: (await tempFiles()).length,
          datasets: Number((await database.query(`SELECT count(*) FROM "Dataset"`)).rows[0].count),
        };
      };
      // A file younger than the grace at the first pass goes at a later one.
      const after = await until(state, (s) => s.unrecordedFiles === 0 && s.tempFiles === 0, 15_000);
      expect(after).toEqual({ unrecordedFiles: 0, rowsWithoutFile: 0, tempFiles: 0, datasets: 0 });
    } finally {
      await database.end();
    }
    const swept = gateway
      .output()
      .split("\n")
      .filter((line) => SWEEP_LINE.test(line))
      .map((line) => JSON.parse(line) as { orphanFiles: number; abandonedUploads: number });
    expect(swept.reduce((sum, line) => sum + line.orphanFiles, 0)).toBeGreaterThanOrEqual(
      caught.files - filesAtStart,
    );
    expect(swept.reduce((sum, line) => sum + line.abandonedUploads, 0)).toBeGreaterThan(0);
  }, 180_000);
});
