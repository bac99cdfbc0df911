import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { seedDataset, type SeededDataset } from "./seed-dataset";

let gateway: TestGateway;
let alice: string;
let bob: string;
let textures: SeededDataset;
let alicePrivate: SeededDataset;
let bobPublic: SeededDataset;

beforeAll(async () => {
  gateway = await startTestGateway();
  alice = await gateway.createMember("alice");
  bob = await gateway.createMember("bob");
  alicePrivate = await seedDataset(gateway, {
    ownerHandle: "alice",
    name: "alice-private",
    tags: ["synthetic"],
  });
  bobPublic = await seedDataset(gateway, {
    ownerHandle: "bob",
    name: "bob-public",
    tags: ["other"],
    isPublic: true,
  });
  textures = await seedDataset(gateway, {
    ownerHandle: "admin",
    name: "Textures",
    description: "Procedural patterns in colour",
    tags: ["textures", "synthetic"],
    isPublic: true,
    withEdit: true,
  });
});
afterAll(() => gateway?.stop());

interface SamplePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: Array<{ node: { originalPath: string; split: string | null; class: { name: string } } }>;
}

async function samples(versionId: string, args: string): Promise<SamplePage> {
  const body = await gateway.gql<{ datasetVersion: { samples: SamplePage } }>(
    `query ($id: ID!) { datasetVersion(id: $id) { samples(${args}) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { node { originalPath split class { name } } } } } }`,
    { id: versionId },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.datasetVersion.samples;
}

const paths = (page: SamplePage) => page.edges.map((e) => e.node.originalPath);

async function names(token: string | null, args = "") {
  const body = await gateway.gql<{
    datasets: { totalCount: number; edges: Array<{ node: { name: string } }> };
  }>(`{ datasets${args ? `(${args})` : ""} { totalCount edges { node { name } } } }`, {}, token);
  expect(body.errors).toBeUndefined();
  return body.data!.datasets.edges.map((e) => e.node.name);
}

describe("a dataset's versions", () => {
  it("lists versions newest first and the latest one, each with its dataset", async () => {
    const body = await gateway.gql<Record<string, unknown>>(
      `query ($id: ID!, $v1: ID!) {
        dataset(id: $id) { name owner { handle } versions { number source imageCount classCount }
          latestVersion { id number } }
        datasetVersion(id: $v1) { number dataset { id } }
      }`,
      { id: textures.id, v1: textures.v1 },
    );
    expect(body).toEqual({
      data: {
        dataset: {
          name: "Textures",
          owner: { handle: "admin" },
          versions: [
            { number: 2, source: "EDIT", imageCount: 13, classCount: 3 },
            { number: 1, source: "ZIP", imageCount: 12, classCount: 3 },
          ],
          latestVersion: { id: textures.v2, number: 2 },
        },
        datasetVersion: { number: 1, dataset: { id: textures.id } },
      },
    });
  });

  it("counts each version's classes from its samples, sorted by name", async () => {
    const body = await gateway.gql<Record<string, { classes: unknown }>>(
      `query ($v1: ID!, $v2: ID!) {
        v1: datasetVersion(id: $v1) { classes { name count } }
        v2: datasetVersion(id: $v2) { classes { id name count } }
      }`,
      { v1: textures.v1, v2: textures.v2 },
    );
    expect(body.data!.v1!.classes).toEqual([
      { name: "blue-dots", count: 4 },
      { name: "green-checkerboard", count: 4 },
      { name: "red-stripes", count: 4 },
    ]);
    expect(body.data!.v2!.classes).toEqual([
      { id: textures.classIds["blue-dots"], name: "blue-dots", count: 5 },
      { id: textures.classIds["green-checkerboard"], name: "green-checkerboard", count: 5 },
      { id: textures.classIds["red-stripes"], name: "red-stripes", count: 3 },
    ]);
  });

  it("diffs two versions by sample: added, removed, relabelled and unchanged", async () => {
    const body = await gateway.gql<Record<string, { diff: unknown }>>(
      `query ($v1: ID!, $v2: ID!) {
        forward: datasetVersion(id: $v2) { diff(against: $v1) { added removed relabelled unchanged } }
        backward: datasetVersion(id: $v1) { diff(against: $v2) { added removed relabelled unchanged } }
        same: datasetVersion(id: $v1) { diff(against: $v1) { added removed relabelled unchanged } }
      }`,
      { v1: textures.v1, v2: textures.v2 },
    );
    expect(body.data).toEqual({
      forward: { diff: { added: 3, removed: 2, relabelled: 1, unchanged: 9 } },
      backward: { diff: { added: 2, removed: 3, relabelled: 1, unchanged: 9 } },
      same: { diff: { added: 0, removed: 0, relabelled: 0, unchanged: 12 } },
    });
  });

  it("refuses to diff against another dataset's version, or one the viewer cannot see", async () => {
    const query = `query ($v: ID!, $other: ID!) { datasetVersion(id: $v) { diff(against: $other) { added } } }`;
    const across = await gateway.gql(query, { v: textures.v1, other: bobPublic.v1 });
    expect(across.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const hidden = await gateway.gql(query, { v: textures.v1, other: alicePrivate.v1 }, bob);
    expect(hidden.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("DatasetVersion.samples", () => {
  it("pages through a version in a stable order with first/after", async () => {
    const page1 = await samples(textures.v1, "first: 5");
    expect(page1.totalCount).toBe(12);
    expect(paths(page1)).toEqual([
      "blue-dots/blue-dots-000.jpg",
      "blue-dots/blue-dots-001.jpg",
      "blue-dots/blue-dots-002.png",
      "blue-dots/blue-dots-003.jpg",
      "green-checkerboard/green-checkerboard-000.jpg",
    ]);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = await samples(textures.v1, `first: 5, after: "${page1.pageInfo.endCursor}"`);
    expect(paths(page2)).toEqual([
      "green-checkerboard/green-checkerboard-001.jpg",
      "green-checkerboard/green-checkerboard-002.png",
      "green-checkerboard/green-checkerboard-003.jpg",
      "red-stripes/red-stripes-000.jpg",
      "red-stripes/red-stripes-001.jpg",
    ]);
    const page3 = await samples(textures.v1, `first: 5, after: "${page2.pageInfo.endCursor}"`);
    expect(paths(page3)).toEqual(["red-stripes/red-stripes-002.png", "red-stripes/red-stripes-003.jpg"]);
    expect(page3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const past = await samples(textures.v1, `first: 5, after: "${page3.pageInfo.endCursor}"`);
    expect(past).toMatchObject({ totalCount: 12, edges: [] });
  });

  it("filters by class and by split, and carries the version's label", async () => {
    const green = textures.classIds["green-checkerboard"]!;
    const inClass = await samples(textures.v2!, `classId: "${green}"`);
    expect(inClass.totalCount).toBe(5);
    expect(paths(inClass)).toEqual([
      "green-checkerboard/green-checkerboard-000.jpg",
      "green-checkerboard/green-checkerboard-002.png",
      "green-checkerboard/green-checkerboard-003.jpg",
      "green-checkerboard/green-checkerboard-004.jpg",
      "red-stripes/red-stripes-001.jpg",
    ]);
    expect(inClass.edges.every((e) => e.node.class.name === "green-checkerboard")).toBe(true);

    const test = await samples(textures.v1, `split: "test"`);
    expect(paths(test)).toEqual([
      "blue-dots/blue-dots-000.jpg",
      "green-checkerboard/green-checkerboard-000.jpg",
      "red-stripes/red-stripes-000.jpg",
    ]);
    expect(test.edges.map((e) => e.node.split)).toEqual(["test", "test", "test"]);

    const both = await samples(textures.v1, `classId: "${green}", split: "train", first: 2`);
    expect({ total: both.totalCount, paths: paths(both) }).toEqual({
      total: 3,
      paths: [
        "green-checkerboard/green-checkerboard-001.jpg",
        "green-checkerboard/green-checkerboard-002.png",
      ],
    });
    expect(await samples(textures.v1, `classId: "not-a-class"`)).toMatchObject({ totalCount: 0, edges: [] });
  });

  it("describes each sample as it was measured", async () => {
    const body = await gateway.gql<{ datasetVersion: { samples: { edges: Array<{ node: unknown }> } } }>(
      `query ($id: ID!) { datasetVersion(id: $id) { samples(first: 1) { edges { node {
        id width height format sha256 metadata imageUrl thumbnailUrl } } } } }`,
      { id: textures.v1 },
    );
    const node = body.data!.datasetVersion.samples.edges[0]!.node as Record<string, unknown>;
    const sample = await gateway.prisma.sample.findUniqueOrThrow({ where: { id: node.id as string } });
    expect(node).toMatchObject({
      id: textures.sampleIds["blue-dots/blue-dots-000.jpg"],
      width: sample.width,
      height: sample.height,
      format: "jpeg",
      sha256: sample.sha256,
      metadata: { index: 8 },
    });
    expect(node.imageUrl).toMatch(
      new RegExp(`^${gateway.url}/files/samples/${sample.id}/image\\?user=.*&expires=\\d+&signature=`),
    );
    expect(node.thumbnailUrl).toMatch(new RegExp(`^${gateway.url}/files/samples/${sample.id}/thumbnail\\?`));
  });
});

describe("who sees which datasets", () => {
  it("shows public datasets to everyone, private ones to their owner and admins, newest first", async () => {
    expect(await names(null)).toEqual(["Textures", "bob-public"]);
    expect(await names(bob)).toEqual(["Textures", "bob-public"]);
    expect(await names(alice)).toEqual(["Textures", "bob-public", "alice-private"]);
    expect(await names(gateway.adminToken)).toEqual(["Textures", "bob-public", "alice-private"]);
  });

  it("answers null for another user's private dataset, its versions and its files", async () => {
    const query = `query ($d: ID!, $v: ID!) { dataset(id: $d) { name } datasetVersion(id: $v) { number } }`;
    const variables = { d: alicePrivate.id, v: alicePrivate.v1 };
    expect((await gateway.gql(query, variables, bob)).data).toEqual({ dataset: null, datasetVersion: null });
    expect((await gateway.gql(query, variables, null)).data).toEqual({ dataset: null, datasetVersion: null });
    expect((await gateway.gql(query, variables, alice)).data).toEqual({
      dataset: { name: "alice-private" },
      datasetVersion: { number: 1 },
    });
    const sampleId = Object.values(alicePrivate.sampleIds)[0]!;
    const response = await fetch(`${gateway.url}/files/samples/${sampleId}/image`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(response.status).toBe(404);
    expect((await gateway.gql(`{ dataset(id: "nope") { name } }`)).data).toEqual({ dataset: null });
  });

  it("filters by owner, all of the tags and visibility, and searches by word prefix", async () => {
    expect(await names(alice, `filter: { owner: "bob" }`)).toEqual(["bob-public"]);
    expect(await names(alice, `filter: { tags: ["synthetic"] }`)).toEqual(["Textures", "alice-private"]);
    expect(await names(alice, `filter: { tags: ["synthetic", "textures"] }`)).toEqual(["Textures"]);
    expect(await names(alice, `filter: { isPublic: false }`)).toEqual(["alice-private"]);
    expect(await names(alice, `search: "textu"`)).toEqual(["Textures"]);
    expect(await names(alice, `search: "procedural col"`)).toEqual(["Textures"]);
    expect(await names(alice, `search: "alice-priv"`)).toEqual(["alice-private"]);
    expect(await names(bob, `search: "alice"`)).toEqual([]);
  });

  it("pages the list with first/after and keeps the total", async () => {
    const body = await gateway.gql<{ datasets: { totalCount: number; pageInfo: { endCursor: string } } }>(
      `{ datasets(first: 1) { totalCount pageInfo { endCursor } } }`,
    );
    expect(body.data!.datasets.totalCount).toBe(3);
    const after = body.data!.datasets.pageInfo.endCursor;
    expect(await names(gateway.adminToken, `first: 2, after: "${after}"`)).toEqual([
      "bob-public",
      "alice-private",
    ]);
  });
});
