import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSafeZip } from "../../src/archives/safe-zip";
import { CLOCK_SKEW_SECONDS, UrlSigner } from "../../src/http/url-signer";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { craftZip } from "../archives/craft-zip";
import { sha256Of, uploadArchive, uploadModel } from "../registry/operations";

let gateway: TestGateway;
let alice: string;
let bob: string;
let version: { id: string; downloadUrl: string; files: Array<{ path: string; downloadUrl: string }> };
let publicFileUrl: string;
let scratch: string;

const weights = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251));
const labels = Buffer.from('["cat","dog"]');
const notes = Buffer.from("Notes with an accent in their name.\n");
const contents: Record<string, Buffer> = {
  "model.pt": weights,
  "config/labels.json": labels,
  "notes/résumé 1.txt": notes,
};

beforeAll(async () => {
  gateway = await startTestGateway();
  alice = await gateway.createMember("alice");
  bob = await gateway.createMember("bob");
  scratch = await mkdtemp(path.join(tmpdir(), "tessera-downloads-"));
  const zip = craftZip(
    Object.entries(contents).map(([name, content]) => ({ name: `private/${name}`, content })),
  );
  const uploaded = await uploadArchive(gateway, { slug: "private-model" }, zip, true, alice);
  expect(uploaded.errors).toBeUndefined();
  const body = await gateway.gql<{ modelVersion: typeof version }>(
    "query ($id: ID!) { modelVersion(id: $id) { id downloadUrl files { path downloadUrl } } }",
    { id: uploaded.data!.uploadModelArchive.id },
    alice,
  );
  version = body.data!.modelVersion;
  const shared = await uploadModel(
    gateway,
    { slug: "public-model", isPublic: true },
    { "public.pt": "public" },
    bob,
  );
  publicFileUrl = `${gateway.url}/files/model-versions/${shared.id}/files/public.pt`;
});
afterAll(async () => {
  await gateway?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const urlOf = (filePath: string) => version.files.find((file) => file.path === filePath)!.downloadUrl;
const unsigned = (filePath: string) =>
  `${gateway.url}/files/model-versions/${version.id}/files/${filePath.split("/").map(encodeURIComponent).join("/")}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

async function expectJsonError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
}

describe("downloading one file", () => {
  it("serves the exact uploaded bytes behind a signed URL, with no header needed", async () => {
    for (const [filePath, content] of Object.entries(contents)) {
      const response = await fetch(urlOf(filePath));
      expect(response.status, filePath).toBe(200);
      expect(await bytesOf(response)).toEqual(content);
    }
  });

  it("names the file, its type, size and version in the headers", async () => {
    const response = await fetch(urlOf("notes/résumé 1.txt"));
    await response.arrayBuffer();
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "text/plain",
      "content-length": String(notes.length),
      "content-disposition": `attachment; filename="r_sum_ 1.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.txt`,
      etag: `"${sha256Of(notes)}"`,
      "accept-ranges": "bytes",
    });
  });

  it("answers 304 to a client that has the file", async () => {
    const response = await fetch(urlOf("model.pt"), {
      headers: { "if-none-match": `"${sha256Of(weights)}"` },
    });
    expect(response.status).toBe(304);
  });

  it("serves the unsigned path to a bearer token that may see the file", async () => {
    const response = await fetch(unsigned("model.pt"), { headers: bearer(alice) });
    expect(response.status).toBe(200);
    expect(await bytesOf(response)).toEqual(weights);
    const admin = await fetch(unsigned("config/labels.json"), { headers: bearer(gateway.adminToken) });
    expect(await bytesOf(admin)).toEqual(labels);
  });

  it("serves a public file to anyone", async () => {
    const response = await fetch(publicFileUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("public");
  });
});

describe("refused downloads", () => {
  it("answers 404 for another member's private file, and without any credentials", async () => {
    await expectJsonError(await fetch(unsigned("model.pt"), { headers: bearer(bob) }), 404, "NOT_FOUND");
    await expectJsonError(await fetch(unsigned("model.pt")), 404, "NOT_FOUND");
  });

  it("answers 401 for a bearer token that does not exist", async () => {
    await expectJsonError(
      await fetch(unsigned("model.pt"), { headers: bearer("tsr_wrong") }),
      401,
      "UNAUTHENTICATED",
    );
  });

  it("answers 401 for a signed URL whose signature, user or path was changed", async () => {
    const signed = new URL(urlOf("model.pt"));
    const signature = signed.searchParams.get("signature")!;
    const tampered = new URL(signed);
    tampered.searchParams.set("signature", `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`);
    await expectJsonError(await fetch(tampered), 401, "UNAUTHENTICATED");

    const otherUser = new URL(signed);
    otherUser.searchParams.set("user", "00000000-0000-4000-8000-000000000000");
    await expectJsonError(await fetch(otherUser), 401, "UNAUTHENTICATED");

    // A valid signature for one file does not open another.
    const otherFile = new URL(unsigned("config/labels.json"));
    otherFile.search = signed.search;
    await expectJsonError(await fetch(otherFile), 401, "UNAUTHENTICATED");

    const longer = new URL(signed);
    longer.searchParams.set("expires", String(Number(signed.searchParams.get("expires")) + 3600));
    await expectJsonError(await fetch(longer), 401, "UNAUTHENTICATED");
  });

  it("answers 401 for a signed URL that has expired", async () => {
    const signer = await UrlSigner.load(gateway.prisma, 60);
    const { pathname, searchParams } = new URL(urlOf("model.pt"));
    const expired = signer.sign(pathname, searchParams.get("user"), Date.now() - 61_000);
    await expectJsonError(await fetch(`${gateway.url}${expired}`), 401, "UNAUTHENTICATED");
    // The same key, not yet expired, is accepted: only the expiry made the difference.
    const fresh = signer.sign(pathname, searchParams.get("user"));
    const accepted = await fetch(`${gateway.url}${fresh}`);
    expect(accepted.status).toBe(200);
    expect(await bytesOf(accepted)).toEqual(weights);
  });

  it("answers 401 for a correctly signed URL that lives longer than the configured lifetime", async () => {
    const { pathname, searchParams } = new URL(urlOf("model.pt"));
    const user = searchParams.get("user");
    // The gateway's own key, as anyone who read it from the database would use it.
    const tenYears = await UrlSigner.load(gateway.prisma, 10 * 365 * 24 * 3600);
    await expectJsonError(
      await fetch(`${gateway.url}${tenYears.sign(pathname, user)}`),
      401,
      "UNAUTHENTICATED",
    );
    // Just past the lifetime plus the allowed clock skew is refused; within it, accepted.
    const ttl = 900;
    const past = await UrlSigner.load(gateway.prisma, ttl + CLOCK_SKEW_SECONDS + 2);
    await expectJsonError(await fetch(`${gateway.url}${past.sign(pathname, user)}`), 401, "UNAUTHENTICATED");
    const within = await UrlSigner.load(gateway.prisma, ttl + CLOCK_SKEW_SECONDS - 2);
    const accepted = await fetch(`${gateway.url}${within.sign(pathname, user)}`);
    expect(accepted.status).toBe(200);
    expect(await bytesOf(accepted)).toEqual(weights);
  });

  it("answers 404 for a file or version that does not exist", async () => {
    await expectJsonError(await fetch(unsigned("missing.pt"), { headers: bearer(alice) }), 404, "NOT_FOUND");
    const noVersion = `${gateway.url}/files/model-versions/00000000-0000-4000-8000-000000000000/files/model.pt`;
    await expectJsonError(await fetch(noVersion, { headers: bearer(alice) }), 404, "NOT_FOUND");
    await expectJsonError(
      await fetch(`${gateway.url}/files/model-versions/not-a-uuid.zip`, { headers: bearer(alice) }),
      404,
      "NOT_FOUND",
    );
  });

  it("answers 400 in JSON, not an HTML page with a stack trace, for a path that does not decode", async () => {
    for (const broken of ["/files/samples/%E0%A4%A/image", "/files/training-pairs/%zz/original"]) {
      const response = await fetch(`${gateway.url}${broken}`, { headers: { accept: "text/html" } });
      await expectJsonError(response.clone(), 400, "BAD_USER_INPUT");
      expect(await response.text()).not.toContain(process.cwd());
    }
  });
});

describe("Range requests", () => {
  const ranged = (range: string, headers: Record<string, string> = {}) =>
    fetch(urlOf("model.pt"), { headers: { range, ...headers } });

  it("serves the first bytes", async () => {
    const response = await ranged("bytes=0-9");
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 0-9/1000");
    expect(response.headers.get("content-length")).toBe("10");
    expect(await bytesOf(response)).toEqual(weights.subarray(0, 10));
  });

  it("serves a suffix and an open-ended range", async () => {
    const suffix = await ranged("bytes=-5");
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get("content-range")).toBe("bytes 995-999/1000");
    expect(await bytesOf(suffix)).toEqual(weights.subarray(995));

    const open = await ranged("bytes=990-");
    expect(open.headers.get("content-range")).toBe("bytes 990-999/1000");
    expect(await bytesOf(open)).toEqual(weights.subarray(990));

    const clamped = await ranged("bytes=998-5000");
    expect(clamped.headers.get("content-range")).toBe("bytes 998-999/1000");
    expect(await bytesOf(clamped)).toEqual(weights.subarray(998));
  });

  it("answers 416 to a range past the end", async () => {
    const response = await ranged("bytes=1000-");
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */1000");
    await response.arrayBuffer();
  });

  it("serves the whole file for several ranges or a stale If-Range", async () => {
    const several = await ranged("bytes=0-1,5-6");
    expect(several.status).toBe(200);
    expect(await bytesOf(several)).toEqual(weights);
    const stale = await ranged("bytes=0-9", { "if-range": '"an-older-version"' });
    expect(stale.status).toBe(200);
    expect(await bytesOf(stale)).toEqual(weights);
  });
});

describe("downloading a whole version as a ZIP", () => {
  it("streams a ZIP that unzips to exactly the version's files", async () => {
    const response = await fetch(version.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="private-model-v1.zip"; filename*=UTF-8''private-model-v1.zip`,
    );
    const zipBytes = await bytesOf(response);
    expect(response.headers.get("content-length")).toBe(String(zipBytes.length));

    const file = path.join(scratch, "version.zip");
    await writeFile(file, zipBytes);
    const zip = await openSafeZip(file, {
      maxEntries: 10,
      maxUncompressedBytes: 1024 * 1024,
      maxCompressionRatio: 200,
    });
    try {
      const unzipped: Record<string, Buffer> = {};
      for (const entry of zip.entries) unzipped[entry.path] = await readAll(await zip.openEntry(entry));
      expect(unzipped).toEqual(contents);
      expect(zip.entries.map((entry) => entry.path)).toEqual([
        "config/labels.json",
        "model.pt",
        "notes/résumé 1.txt",
      ]);
    } finally {
      zip.close();
    }
  });

  it("refuses the ZIP of a private version to another member", async () => {
    const unsignedZip = `${gateway.url}/files/model-versions/${version.id}.zip`;
    await expectJsonError(await fetch(unsignedZip, { headers: bearer(bob) }), 404, "NOT_FOUND");
    const own = await fetch(unsignedZip, { headers: bearer(alice) });
    expect(own.status).toBe(200);
    await own.arrayBuffer();
  });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
