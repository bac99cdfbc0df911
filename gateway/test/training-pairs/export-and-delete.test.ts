import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSafeZip } from "../../src/archives/safe-zip";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { bytesOf, solidImage, storePair, type StoredPair } from "./training-pair-api";

let gateway: TestGateway;
let bob: string;
let scratch: string;
let red: Buffer;
let blueJpeg: Buffer;
let whiteWebp: Buffer;
let green: Buffer;
let p1: StoredPair;
let p2: StoredPair;
let p3: StoredPair;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  [gateway, scratch, red, blueJpeg, whiteWebp, green] = await Promise.all([
    startTestGateway(),
    mkdtemp(path.join(tmpdir(), "tessera-training-pairs-")),
    solidImage([220, 30, 30]),
    solidImage([30, 30, 220], "jpeg"),
    solidImage([250, 250, 250], "webp"),
    solidImage([30, 200, 30]),
  ]);
  bob = await gateway.createMember("bob");
  // p1 shares its original with p2 and its transformed image with p3.
  p1 = await storePair(gateway, {
    original: red,
    transformed: blueJpeg,
    instruction: "Make it blue",
    userEmail: "alice@example.com",
    sessionId: "alpha",
  });
  p2 = await storePair(gateway, {
    original: red,
    transformed: whiteWebp,
    instruction: "Add snow",
    userEmail: "bob@example.com",
    sessionId: "alpha",
  });
  p3 = await storePair(gateway, {
    original: green,
    transformed: blueJpeg,
    instruction: "Make it blue",
    sessionId: "beta",
  });
});
afterAll(async () => {
  await gateway?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Asks for the export URL as `token`, downloads it without a token and unzips it safely. */
async function exportAs(token: string): Promise<{ names: string[]; files: Record<string, Buffer> }> {
  const body = await gateway.gql<{ trainingPairsExport: string }>("{ trainingPairsExport }", {}, token);
  const url = body.data!.trainingPairsExport;
  expect(url).toMatch(/\/files\/training-pairs\/export\.zip\?/);
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/zip");
  const zipBytes = await bytesOf(response);
  expect(response.headers.get("content-length")).toBe(String(zipBytes.length));
  const file = path.join(scratch, `export-${Date.now()}.zip`);
  await writeFile(file, zipBytes);
  const zip = await openSafeZip(file, {
    maxEntries: 100,
    maxUncompressedBytes: 1024 * 1024,
    maxCompressionRatio: 200,
  });
  try {
    const files: Record<string, Buffer> = {};
    for (const entry of zip.entries) files[entry.path] = await readAll(await zip.openEntry(entry));
    return { names: zip.entries.map((e) => e.path), files };
  } finally {
    zip.close();
  }
}

const logLine = (pair: StoredPair, folder: string, originalExt: string, transformedExt: string) => ({
  id: pair.id,
  sessionId: pair.sessionId,
  instruction: pair.instruction,
  userEmail: pair.userEmail,
  createdAt: pair.createdAt,
  original: `${folder}/${pair.id}-original.${originalExt}`,
  transformed: `${folder}/${pair.id}-transformed.${transformedExt}`,
});

describe("trainingPairsExport", () => {
  it("streams a ZIP in the seed's layout: session folders, metadata.json, training-log.jsonl", async () => {
    const { names, files } = await exportAs(gateway.adminToken);
    const line1 = logLine(p1, "session-alpha", "png", "jpg");
    const line2 = logLine(p2, "session-alpha", "png", "webp");
    const line3 = logLine(p3, "session-beta", "png", "jpg");
    expect(names).toEqual([
      "training-log.jsonl",
      line1.original,
      line1.transformed,
      line2.original,
      line2.transformed,
      "session-alpha/metadata.json",
      line3.original,
      line3.transformed,
      "session-beta/metadata.json",
    ]);
    expect(files[line1.original]).toEqual(red);
    expect(files[line1.transformed]).toEqual(blueJpeg);
    expect(files[line2.original]).toEqual(red);
    expect(files[line2.transformed]).toEqual(whiteWebp);
    expect(files[line3.original]).toEqual(green);
    expect(files[line3.transformed]).toEqual(blueJpeg);
    expect(files["training-log.jsonl"]!.toString()).toBe(
      [line1, line2, line3].map((line) => `${JSON.stringify(line)}\n`).join(""),
    );
    expect(JSON.parse(files["session-alpha/metadata.json"]!.toString())).toEqual({
      sessionId: "alpha",
      pairCount: 2,
      pairs: [line1, line2],
    });
    expect(JSON.parse(files["session-beta/metadata.json"]!.toString())).toEqual({
      sessionId: "beta",
      pairCount: 1,
      pairs: [line3],
    });
  });

  it("holds only a member's own pairs", async () => {
    const { names, files } = await exportAs(bob);
    expect(names).toEqual(["training-log.jsonl"]);
    expect(files["training-log.jsonl"]!.length).toBe(0);
  });

  it("refuses an unsigned download without a token", async () => {
    const response = await fetch(`${gateway.url}/files/training-pairs/export.zip`);
    expect(response.status).toBe(401);
  });
});

describe("deleteTrainingPairsByEmail", () => {
  const mutation = "mutation ($email: String!) { deleteTrainingPairsByEmail(email: $email) }";

  it("is for admins only", async () => {
    const body = await gateway.gql(mutation, { email: "alice@example.com" }, bob);
    expect(body.errors?.[0]).toMatchObject({
      message: "Only an admin can delete training pairs by email",
      extensions: { code: "FORBIDDEN" },
    });
    expect(await gateway.prisma.trainingPair.count()).toBe(3);
  });

  it("deletes the address's pairs and keeps images other pairs still use", async () => {
    const before = await gateway.blobFiles();
    const body = await gateway.gql(mutation, { email: " ALICE@example.com " });
    expect(body.data).toEqual({ deleteTrainingPairsByEmail: 1 });
    const remaining = await gateway.prisma.trainingPair.findMany({ orderBy: { createdAt: "asc" } });
    expect(remaining.map((p) => p.id)).toEqual([p2.id, p3.id]);
    // red is p2's original, blue p3's transformed: nothing may go.
    expect(await gateway.blobFiles()).toEqual(before);
    expect((await fetch(p1.originalUrl)).status).toBe(404);
  });

  it("removes the blob files nothing references any more", async () => {
    const before = await gateway.blobFiles();
    const body = await gateway.gql(mutation, { email: "bob@example.com" });
    expect(body.data).toEqual({ deleteTrainingPairsByEmail: 1 });
    const gone = [sha256(red), sha256(whiteWebp)];
    expect(before).toEqual(expect.arrayContaining(gone));
    expect(await gateway.blobFiles()).toEqual(before.filter((sha) => !gone.includes(sha)));
    expect(await gateway.blobFiles()).toEqual(expect.arrayContaining([sha256(blueJpeg), sha256(green)]));
    expect(
      await gateway.prisma.blob.count({ where: { sha256: { in: [sha256(red), sha256(whiteWebp)] } } }),
    ).toBe(0);
    const again = await gateway.gql(mutation, { email: "bob@example.com" });
    expect(again.data).toEqual({ deleteTrainingPairsByEmail: 0 });
  });

  it("refuses an address that is not one", async () => {
    const body = await gateway.gql(mutation, { email: "nobody" });
    expect(body.errors?.[0]).toMatchObject({
      message: '"email" must be an email address like name@example.com, got "nobody"',
      extensions: { code: "BAD_USER_INPUT", field: "email" },
    });
  });
});
