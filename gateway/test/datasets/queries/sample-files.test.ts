import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { seedDataset, type SeededDataset } from "./seed-dataset";

let gateway: TestGateway;
let bob: string;
let large: SeededDataset;

beforeAll(async () => {
  gateway = await startTestGateway();
  bob = await gateway.createMember("bob");
  large = await seedDataset(gateway, { ownerHandle: "admin", name: "large", sides: [300, 420] });
});
afterAll(() => gateway?.stop());

/** The signed URLs the API hands out for a sample, as `viewer` (the admin by default). */
async function urlsOf(path: string, token: string | null = gateway.adminToken) {
  const body = await gateway.gql<{
    datasetVersion: {
      samples: { edges: Array<{ node: { id: string; imageUrl: string; thumbnailUrl: string } }> };
    };
  }>(
    `query ($id: ID!) { datasetVersion(id: $id) { samples(first: 100) { edges { node { id imageUrl thumbnailUrl } } } } }`,
    { id: large.v1 },
    token,
  );
  const node = body.data!.datasetVersion.samples.edges.find((e) => e.node.id === large.sampleIds[path]);
  if (!node) throw new Error(`no sample ${path}: ${JSON.stringify(body.errors)}`);
  return node.node;
}

const bytesOf = (path: string) => large.files.find((f) => f.path === path)!.bytes;
const sampleUpdates = () => gateway.sqlStatements.filter((sql) => /^UPDATE\s+"public"\."Sample"/i.test(sql));

describe("GET /files/samples/:id/image", () => {
  it("sends the stored bytes with their type, hash and caching, to a signed link without a token", async () => {
    const path = "red-stripes/red-stripes-002.png";
    const response = await fetch((await urlsOf(path)).imageUrl);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytesOf(path))).toBe(true);
    const sample = await gateway.prisma.sample.findUniqueOrThrow({ where: { id: large.sampleIds[path] } });
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "image/png",
      etag: `"${sample.sha256}"`,
      "cache-control": "private, max-age=3600, immutable",
      "accept-ranges": "bytes",
      "content-length": String(bytesOf(path).length),
    });
  });

  it("answers a Range with 206 and those bytes, and a matching ETag with 304", async () => {
    const path = "blue-dots/blue-dots-000.jpg";
    const { imageUrl } = await urlsOf(path);
    const partial = await fetch(imageUrl, { headers: { range: "bytes=10-29" } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get("content-range")).toBe(`bytes 10-29/${bytesOf(path).length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(bytesOf(path).subarray(10, 30))).toBe(true);
    const etag = partial.headers.get("etag")!;
    expect((await fetch(imageUrl, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("accepts a bearer token instead of a signature and refuses a forged or missing one", async () => {
    const id = large.sampleIds["blue-dots/blue-dots-001.jpg"]!;
    const plain = `${gateway.url}/files/samples/${id}/image`;
    const withToken = await fetch(plain, { headers: { authorization: `Bearer ${gateway.adminToken}` } });
    expect(withToken.status).toBe(200);
    // The dataset is private: an anonymous request and another member see nothing there.
    expect((await fetch(plain)).status).toBe(404);
    expect((await fetch(plain, { headers: { authorization: `Bearer ${bob}` } })).status).toBe(404);
    const { imageUrl } = await urlsOf("blue-dots/blue-dots-001.jpg");
    expect((await fetch(imageUrl.replace(/signature=[^&]+/, "signature=forged"))).status).toBe(401);
    // A link signed for one sample opens no other.
    const other = large.sampleIds["blue-dots/blue-dots-002.png"]!;
    expect((await fetch(imageUrl.replace(id, other))).status).toBe(401);
  });
});

describe("GET /files/samples/:id/thumbnail", () => {
  it("makes a WebP of at most 256 px once, stores it, and serves the stored one afterwards", async () => {
    const path = "green-checkerboard/green-checkerboard-003.jpg";
    const { thumbnailUrl } = await urlsOf(path);
    const blobsBefore = await gateway.blobCount();
    gateway.sqlStatements.length = 0;
    const first = await fetch(thumbnailUrl);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/webp");
    const bytes = Buffer.from(await first.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe("webp");
    expect(Math.max(meta.width!, meta.height!)).toBe(256);
    expect(sampleUpdates()).toHaveLength(1);

    const sample = await gateway.prisma.sample.findUniqueOrThrow({ where: { id: large.sampleIds[path] } });
    expect(first.headers.get("etag")).toBe(`"${sample.thumbnailSha256}"`);
    expect(await gateway.blobCount()).toBe(blobsBefore + 1);
    expect(
      await gateway.prisma.blob.findUnique({ where: { sha256: sample.thumbnailSha256! } }),
    ).not.toBeNull();

    gateway.sqlStatements.length = 0;
    const second = await fetch(thumbnailUrl);
    expect(Buffer.from(await second.arrayBuffer()).equals(bytes)).toBe(true);
    expect(sampleUpdates()).toEqual([]);
    expect(await gateway.blobCount()).toBe(blobsBefore + 1);
    const after = await gateway.prisma.sample.findUniqueOrThrow({ where: { id: sample.id } });
    expect(after.thumbnailSha256).toBe(sample.thumbnailSha256);
  });

  it("makes one thumbnail when several first requests arrive at once", async () => {
    const { thumbnailUrl } = await urlsOf("red-stripes/red-stripes-000.jpg");
    const blobsBefore = await gateway.blobCount();
    gateway.sqlStatements.length = 0;
    const responses = await Promise.all(Array.from({ length: 5 }, () => fetch(thumbnailUrl)));
    const bodies = await Promise.all(responses.map(async (r) => Buffer.from(await r.arrayBuffer())));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(bodies.every((b) => b.equals(bodies[0]!))).toBe(true);
    expect(sampleUpdates()).toHaveLength(1);
    expect(await gateway.blobCount()).toBe(blobsBefore + 1);
  });

  it("is not served to a viewer who cannot see the dataset", async () => {
    const id = large.sampleIds["red-stripes/red-stripes-001.jpg"]!;
    const response = await fetch(`${gateway.url}/files/samples/${id}/thumbnail`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(response.status).toBe(404);
    const sample = await gateway.prisma.sample.findUniqueOrThrow({ where: { id } });
    expect(sample.thumbnailSha256).toBeNull();
  });
});
