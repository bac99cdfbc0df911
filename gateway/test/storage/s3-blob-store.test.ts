import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
// s3rver: a real S3-protocol server (HTTP, SigV4, multipart, ranges) on loopback.
import S3rver from "s3rver";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ListedBlob } from "../../src/storage/blob-store";
import { putBytes } from "../../src/storage/put-bytes";
import { S3BlobStore } from "../../src/storage/s3-blob-store";

const BUCKET = "tessera";
let server: S3rver;
let directory: string;
let client: S3Client;
let store: S3BlobStore;
let prefix: string;
let runs = 0;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "s3rver-"));
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  client = new S3Client({
    endpoint: `http://127.0.0.1:${address.port}`,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await rm(directory, { recursive: true, force: true });
});

beforeEach(() => {
  // Every test its own prefix: the same bucket, nothing shared.
  prefix = `run-${++runs}/`;
  store = new S3BlobStore({ client, bucket: BUCKET, prefix, partSizeBytes: 5 * 1024 * 1024, queueSize: 2 });
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function keys(under = ""): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix + under }));
  return (page.Contents ?? []).map((object) => object.Key!.slice(prefix.length)).sort();
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("S3BlobStore on a real S3-protocol server", () => {
  it("streams a multipart upload to its content address and reads it back, whole and by range", async () => {
    // 12 MiB in 64 KiB chunks: three 5 MiB parts, never one buffer of the whole.
    const content = randomBytes(12 * 1024 * 1024);
    const chunks = Array.from({ length: content.length / 65_536 }, (_, i) =>
      content.subarray(i * 65_536, (i + 1) * 65_536),
    );
    const blob = await store.put(Readable.from(chunks));
    expect(blob).toEqual({ sha256: sha256(content), sizeBytes: content.length, created: true });
    expect(await keys()).toEqual([`blobs/${blob.sha256}`]);
    expect((await readAll(await store.openRead(blob.sha256))).equals(content)).toBe(true);
    const range = await readAll(await store.openRead(blob.sha256, { start: 5_242_870, end: 5_242_889 }));
    expect(range.equals(content.subarray(5_242_870, 5_242_890))).toBe(true);
    expect(await store.stat(blob.sha256)).toEqual({ sizeBytes: content.length });
  });

  it("stores identical content once, copying it onto itself to restart the sweep's grace", async () => {
    const content = Buffer.from("same bytes");
    const first = await store.put(Readable.from([content]));
    const touched = async () =>
      (await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${prefix}blobs/${first.sha256}` })))
        .Metadata?.["tessera-touched"];
    expect(await touched()).toBeUndefined();
    const second = await store.put(Readable.from([content]));
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    // S3 gives the self-copy a new LastModified (s3rver keeps the old one): its metadata shows it happened.
    expect(Date.parse((await touched())!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await keys()).toEqual([`blobs/${first.sha256}`]);
  });

  it("skips the upload of bytes whose known hash is stored already (one HEAD), and checks the hash otherwise", async () => {
    const content = Buffer.from("bytes hashed in memory");
    const first = await putBytes(store, content);
    expect(first).toEqual({ sha256: sha256(content), sizeBytes: content.length, created: true });
    // A source that fails when read: the second put never reads it.
    const unread = new Readable({
      read() {
        this.destroy(new Error("the source was read"));
      },
    });
    expect(await store.put(unread, { knownSha256: first.sha256 })).toEqual({ ...first, created: false });
    await expect(
      store.put(Readable.from([Buffer.from("other bytes")]), { knownSha256: "0".repeat(64) }),
    ).rejects.toThrow(
      `The bytes put as ${"0".repeat(64)} have the sha256 ${sha256(Buffer.from("other bytes"))}`,
    );
    expect(await keys()).toEqual([`blobs/${first.sha256}`]);
  });

  it("refuses what is too large and what is missing, leaving nothing behind", async () => {
    await expect(
      store.put(Readable.from([Buffer.alloc(2_000_000)]), { maxBytes: 1_000_000 }),
    ).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: "The upload is larger than the limit of 976.6 KiB (1000000 bytes)",
    });
    expect(await keys()).toEqual([]);
    const { sha256: hash } = await store.put(Readable.from([Buffer.from("0123456789")]));
    await expect(store.openRead(hash, { start: 5, end: 10 })).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
    });
    await expect(store.openRead("0".repeat(64))).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await store.stat("0".repeat(64))).toBeNull();
    expect(await store.delete("0".repeat(64))).toBe(false);
    expect(await store.delete(hash)).toBe(true);
    expect(await keys()).toEqual([]);
  });

  it("leaves no object when the source fails after parts were sent", async () => {
    let sent = 0;
    const source = new Readable({
      read() {
        // 7 MiB, then the client goes away: one 5 MiB part is already on the server.
        if (sent >= 7 * 1024 * 1024) return void this.destroy(new Error("client disconnected"));
        sent += 1024 * 1024;
        this.push(Buffer.alloc(1024 * 1024, 7));
      },
    });
    await expect(store.put(source)).rejects.toThrow("client disconnected");
    expect(await keys()).toEqual([]);
  });

  it("rejects with the abort's reason and leaves no object when the signal aborts after parts were sent", async () => {
    const controller = new AbortController();
    const reason = new Error("the client went away");
    let sent = 0;
    const source = new Readable({
      read() {
        // 7 MiB, then the caller aborts: one 5 MiB part is already on its way.
        if (sent >= 7 * 1024 * 1024) return void controller.abort(reason);
        sent += 1024 * 1024;
        this.push(Buffer.alloc(1024 * 1024, 7));
      },
    });
    await expect(store.put(source, { signal: controller.signal })).rejects.toBe(reason);
    expect(source.destroyed).toBe(true);
    expect(await keys()).toEqual([]);
  });

  it("lists blobs in ascending sha256 order", async () => {
    const hashes: string[] = [];
    for (const text of ["a", "b", "c", "d"])
      hashes.push((await store.put(Readable.from([Buffer.from(text)]))).sha256);
    expect((await listAll()).map((blob) => blob.sha256)).toEqual([...hashes].sort());
  });

  it("sweeps the temporary object a crash between upload and copy left behind", async () => {
    // What a gateway killed after its upload finished but before the copy leaves.
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}tmp/crashed`, Body: "partial" }));
    const kept = await store.put(Readable.from([Buffer.from("a blob")]));
    const removed = await store.removeAbandonedUploads(new Date(Date.now() + 60_000));
    expect(removed).toEqual({ names: ["crashed"], sizeBytes: 7 });
    expect(await keys("tmp/")).toEqual([]);
    expect(await keys()).toEqual([`blobs/${kept.sha256}`]);
    // Nothing younger than the cut-off is touched.
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}tmp/in-flight`, Body: "x" }));
    expect((await store.removeAbandonedUploads(new Date(Date.now() - 60_000))).names).toEqual([]);
    expect(await keys("tmp/")).toEqual(["tmp/in-flight"]);
  });

  it("signs a download URL that an HTTP client can fetch", async () => {
    const content = Buffer.from("presigned bytes");
    const { sha256: hash } = await store.put(Readable.from([content]));
    const url = await store.presignedUrl(hash, { expiresInSeconds: 60, fileName: "poids é.bin" });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="poids _.bin"; filename*=UTF-8''poids%20%C3%A9.bin`,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
  });
});

async function listAll(): Promise<ListedBlob[]> {
  const listed: ListedBlob[] = [];
  for await (const blob of store.list()) listed.push(blob);
  return listed;
}
