import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../registry/operations";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { seedDataset, type SeededDataset } from "../datasets/queries/seed-dataset";

let gateway: TestGateway;
let dana: string;
let bob: string;
let seeded: SeededDataset;

beforeAll(async () => {
  gateway = await startTestGateway();
  dana = await gateway.createMember("dana");
  bob = await gateway.createMember("bob");
  seeded = await seedDataset(gateway, { ownerHandle: "dana", name: "public-textures", isPublic: true });
});

afterAll(async () => {
  await gateway?.stop();
});

const storedBytes = async (token: string): Promise<number> => {
  const body = await gateway.gql<{ me: { usage: { storedBytes: { used: number } } } }>(
    "{ me { usage { storedBytes { used } } } }",
    {},
    token,
  );
  expect(body.errors).toBeUndefined();
  return body.data!.me.usage.storedBytes.used;
};

describe("reading usage", () => {
  it("costs enough that thousands of aliases of it are refused before anything runs", async () => {
    const aliases = Array.from({ length: 9000 }, (_, i) => `u${i}: usage { exempt }`).join(" ");
    gateway.sqlStatements.length = 0;
    expectError(
      await gateway.gql(`{ me { ${aliases} } }`, {}, dana),
      "BAD_USER_INPUT",
      /^Query cost \d+ exceeds the limit of 20000/,
    );
    expect(gateway.sqlStatements.filter((sql) => /"Blob"/.test(sql))).toEqual([]);
  });

  it("reads a user's usage once per request however many fields ask for it", async () => {
    const count = async (query: string) => {
      gateway.sqlStatements.length = 0;
      const body = await gateway.gql(query, {}, dana);
      expect(body.errors).toBeUndefined();
      return gateway.sqlStatements.filter((sql) => /FROM "Blob"/.test(sql)).length;
    };
    expect(await count("{ me { usage { exempt } } }")).toBe(1);
    expect(
      await count(
        "{ me { a: usage { exempt } b: usage { storedBytes { used } } } other: me { usage { exempt } } }",
      ),
    ).toBe(1);
  });
});

describe("stored bytes", () => {
  it("do not count sample thumbnails, which any viewer of a public dataset makes", async () => {
    const before = await storedBytes(dana);
    const images = seeded.files.reduce((sum, file) => sum + file.bytes.length, 0);
    expect(before).toBe(images);

    const body = await gateway.gql<{
      datasetVersion: { samples: { edges: Array<{ node: { thumbnailUrl: string } }> } };
    }>(
      "query ($id: ID!) { datasetVersion(id: $id) { samples(first: 100) { edges { node { thumbnailUrl } } } } }",
      { id: seeded.v1 },
      bob,
    );
    const urls = body.data!.datasetVersion.samples.edges.map((edge) => edge.node.thumbnailUrl);
    for (const url of urls) expect((await fetch(url)).status).toBe(200);
    const thumbnails = await gateway.prisma.sample.count({
      where: { datasetId: seeded.id, thumbnailSha256: { not: null } },
    });
    expect(thumbnails).toBe(urls.length);

    expect(await storedBytes(dana)).toBe(before);
  });
});
