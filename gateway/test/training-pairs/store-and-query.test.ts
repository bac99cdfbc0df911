import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { bytesOf, pairFields, postPair, solidImage, storePair, type StoredPair } from "./training-pair-api";

let gateway: TestGateway;
let bob: string;
let red: Buffer;
let blueJpeg: Buffer;
let green: Buffer;
const pairs: Record<"a" | "b" | "c" | "d" | "e", StoredPair> = {} as never;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  gateway = await startTestGateway();
  bob = await gateway.createMember("bob");
  [red, blueJpeg, green] = await Promise.all([
    solidImage([220, 30, 30]),
    solidImage([30, 30, 220], "jpeg", [32, 20]),
    solidImage([30, 200, 30]),
  ]);
  // Stored one after another so creation times are ordered.
  pairs.a = await storePair(gateway, {
    original: red,
    transformed: blueJpeg,
    instruction: "  Make it blue\n",
    userEmail: "Alice@Example.COM",
    sessionId: "s1",
  });
  pairs.b = await storePair(gateway, {
    original: red,
    transformed: green,
    instruction: "make it BLUE",
    sessionId: "s1",
  });
  pairs.c = await storePair(gateway, {
    original: green,
    transformed: red,
    instruction: "Add a hat",
    userEmail: "bob@example.com",
  });
  pairs.d = await storePair(
    gateway,
    { original: green, transformed: blueJpeg, instruction: "Make it blue", userEmail: "bob@example.com" },
    bob,
  );
  pairs.e = await storePair(
    gateway,
    { original: blueJpeg, transformed: green, instruction: "Remove background", sessionId: "s1" },
    bob,
  );
});
afterAll(() => gateway?.stop());

describe("storeTrainingPair", () => {
  it("stores the trimmed instruction, the lowercased email, the session and what it measured", async () => {
    expect(pairs.a).toMatchObject({
      sessionId: "s1",
      instruction: "Make it blue",
      userEmail: "alice@example.com",
      metadata: {
        original: { format: "png", width: 24, height: 16, sizeBytes: red.length },
        transformed: { format: "jpeg", width: 32, height: 20, sizeBytes: blueJpeg.length },
      },
    });
    const admin = await gateway.prisma.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    const row = await gateway.prisma.trainingPair.findUniqueOrThrow({ where: { id: pairs.a.id } });
    expect(row).toMatchObject({
      originalSha256: sha256(red),
      transformedSha256: sha256(blueJpeg),
      createdById: admin.id,
      userEmail: "alice@example.com",
      instruction: "Make it blue",
    });
    expect(row.createdAt.toISOString()).toBe(pairs.a.createdAt);
    expect(await gateway.blobFiles()).toEqual(
      expect.arrayContaining([sha256(red), sha256(blueJpeg), sha256(green)]),
    );
  });

  it('stores "anonymous" without an email and opens a new session per call without a sessionId', () => {
    expect(pairs.b.userEmail).toBe("anonymous");
    expect(pairs.c.sessionId).toMatch(uuidPattern);
    expect(pairs.d.sessionId).toMatch(uuidPattern);
    expect(pairs.c.sessionId).not.toBe(pairs.d.sessionId);
  });

  it("serves both images at their signed URLs, without a token", async () => {
    const original = await fetch(pairs.a.originalUrl);
    expect(original.status).toBe(200);
    expect(original.headers.get("content-type")).toBe("image/png");
    expect(await bytesOf(original)).toEqual(red);
    const transformed = await fetch(pairs.a.transformedUrl);
    expect(transformed.headers.get("content-type")).toBe("image/jpeg");
    expect(await bytesOf(transformed)).toEqual(blueJpeg);
    const unsigned = await fetch(pairs.a.originalUrl.split("?")[0]!);
    expect(unsigned.status).toBe(401);
  });

  it("refuses an image that is not one, naming which, and stores nothing", async () => {
    const before = { rows: await gateway.prisma.trainingPair.count(), blobs: await gateway.blobFiles() };
    const notAnImage = Buffer.from("These are not the pixels you are looking for");
    const fresh = await solidImage([1, 2, 3]);
    const body = await postPair(gateway, { original: fresh, transformed: notAnImage, instruction: "x" });
    expect(body.errors?.[0]).toMatchObject({
      message:
        "The transformed image is not usable: The file is not a JPEG, PNG, WebP or GIF image (44 bytes starting 54 68 65 73 65 20 61 72)",
      extensions: { code: "BAD_USER_INPUT", field: "transformed", reason: "not-an-image" },
    });
    const original = await postPair(gateway, {
      original: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]),
      transformed: fresh,
      instruction: "x",
    });
    expect(original.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "original",
      reason: "corrupt",
    });
    expect(original.errors?.[0]?.message).toMatch(
      /^The original image is not usable: The JPEG image cannot be read/,
    );
    expect(await gateway.prisma.trainingPair.count()).toBe(before.rows);
    expect(await gateway.blobFiles()).toEqual(before.blobs);
    expect(await gateway.tempFileCount()).toBe(0);
  });

  it.each([
    [
      "a blank instruction",
      { instruction: "   " },
      '"instruction" must hold 1 to 2000 characters after trimming, got 0',
    ],
    [
      "a too long instruction",
      { instruction: "x".repeat(2001) },
      '"instruction" must hold 1 to 2000 characters after trimming, got 2001',
    ],
    [
      "a malformed email",
      { userEmail: "not an email" },
      '"userEmail" must be an email address like name@example.com, got "not an email"',
    ],
    [
      "a session id that is no folder name",
      { sessionId: "../up" },
      /^"sessionId" must be 1 to 100 letters, digits/,
    ],
  ])("refuses %s", async (_case, fields, message) => {
    const body = await postPair(gateway, { original: red, transformed: green, instruction: "ok", ...fields });
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(body.errors?.[0]?.message).toEqual(
      typeof message === "string" ? message : expect.stringMatching(message),
    );
    expect(await gateway.prisma.trainingPair.count()).toBe(5);
  });

  it("refuses callers without a token", async () => {
    const body = await postPair(gateway, { original: red, transformed: green, instruction: "ok" }, null);
    expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const stats = await gateway.gql("{ trainingPairStats { pairs } }", {}, null);
    expect(stats.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("trainingPairStats", () => {
  const query = "{ trainingPairStats { sessions images pairs uniqueInstructions latest } }";

  it("counts every pair for an admin", async () => {
    const body = await gateway.gql(query);
    expect(body.data?.trainingPairStats).toEqual({
      sessions: 3,
      images: 10,
      pairs: 5,
      uniqueInstructions: 4,
      latest: pairs.e.createdAt,
    });
  });

  it("counts a member's own pairs only", async () => {
    const body = await gateway.gql(query, {}, bob);
    expect(body.data?.trainingPairStats).toEqual({
      sessions: 2,
      images: 4,
      pairs: 2,
      uniqueInstructions: 2,
      latest: pairs.e.createdAt,
    });
  });
});

describe("trainingPairs", () => {
  const query = `query ($first: Int, $after: String, $instruction: String) {
    trainingPairs(first: $first, after: $after, instruction: $instruction) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { ${pairFields} } }
    }
  }`;
  interface Page {
    trainingPairs: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: Array<{ node: StoredPair }>;
    };
  }
  const ids = (page: Page) => page.trainingPairs.edges.map((e) => e.node.id);

  it("pages newest first", async () => {
    const first = (await gateway.gql<Page>(query, { first: 2 })).data!;
    expect(ids(first)).toEqual([pairs.e.id, pairs.d.id]);
    expect(first.trainingPairs).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    const second = (
      await gateway.gql<Page>(query, { first: 2, after: first.trainingPairs.pageInfo.endCursor })
    ).data!;
    expect(ids(second)).toEqual([pairs.c.id, pairs.b.id]);
    const third = (
      await gateway.gql<Page>(query, { first: 2, after: second.trainingPairs.pageInfo.endCursor })
    ).data!;
    expect(ids(third)).toEqual([pairs.a.id]);
    expect(third.trainingPairs.pageInfo.hasNextPage).toBe(false);
    // Links are signed for whoever asks, so only the rest is compared with what bob got back.
    expect(first.trainingPairs.edges[1]!.node).toEqual({
      ...pairs.d,
      originalUrl: expect.stringContaining(`/files/training-pairs/${pairs.d.id}/original?`),
      transformedUrl: expect.stringContaining(`/files/training-pairs/${pairs.d.id}/transformed?`),
    });
  });

  it("filters by a part of the instruction, ignoring case", async () => {
    const page = (await gateway.gql<Page>(query, { instruction: "BLUE" })).data!;
    expect(ids(page)).toEqual([pairs.d.id, pairs.b.id, pairs.a.id]);
    expect(page.trainingPairs.totalCount).toBe(3);
  });

  it("shows a member only the pairs they stored, and not the images of others", async () => {
    const page = (await gateway.gql<Page>(query, { instruction: "blue" }, bob)).data!;
    expect(ids(page)).toEqual([pairs.d.id]);
    const unsigned = `${gateway.url}/files/training-pairs/${pairs.a.id}/original`;
    const response = await fetch(unsigned, { headers: { authorization: `Bearer ${bob}` } });
    expect(response.status).toBe(404);
  });
});
