import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";

let gateway: TestGateway;
let v1: string;
let v2: string;
let classIds: Record<string, string>;

/**
 * Rows written with Prisma (no images: pages read rows only). Version 1: folders a/, b/, c/ of
 * 6 samples each; "c" sorts last; two samples of b/ share a path (the id breaks the tie); every
 * third sample is in split "test"; 3 samples in the unlabeled pool. Version 2 holds a/ and 5 new
 * samples, so the dataset's path index holds samples that version 1 does not.
 */
beforeAll(async () => {
  gateway = await startTestGateway();
  const { prisma } = gateway;
  const owner = await prisma.user.findUniqueOrThrow({ where: { handle: "admin" } });
  const sha256 = "1".repeat(64);
  await prisma.blob.upsert({ where: { sha256 }, create: { sha256, sizeBytes: 1n }, update: {} });
  const dataset = await prisma.dataset.create({ data: { ownerId: owner.id, name: "keyset pages" } });
  classIds = {};
  for (const name of ["a", "b", "c"]) {
    classIds[name] = (await prisma.datasetClass.create({ data: { datasetId: dataset.id, name } })).id;
  }
  const sample = async (originalPath: string) => {
    const id = randomUUID();
    await prisma.sample.create({
      data: {
        id,
        datasetId: dataset.id,
        sha256,
        originalPath,
        sizeBytes: 1n,
        format: "png",
        width: 8,
        height: 8,
        perceptualHash: "0".repeat(16),
        blurScore: 1,
        meanLuma: 0.5,
        clippedDarkFraction: 0,
        clippedBrightFraction: 0,
      },
    });
    return id;
  };
  const version = async (number: number, imageCount: number, unlabeledCount: number) =>
    (
      await prisma.datasetVersion.create({
        data: {
          datasetId: dataset.id,
          number,
          source: "ZIP",
          createdById: owner.id,
          imageCount,
          classCount: 3,
          unlabeledCount,
        },
      })
    ).id;
  v1 = await version(1, 18, 3);
  v2 = await version(2, 11, 0);
  let index = 0;
  for (const name of ["c", "a", "b"]) {
    for (let i = 0; i < 6; i++) {
      const path = name === "b" && i === 1 ? "b/01.png" : `${name}/${String(i).padStart(2, "0")}.png`;
      const sampleId = await sample(path);
      const split = index++ % 3 === 0 ? "test" : "train";
      await prisma.versionSample.create({
        data: { versionId: v1, sampleId, classId: classIds[name]!, split },
      });
      if (name === "a")
        await prisma.versionSample.create({ data: { versionId: v2, sampleId, classId: classIds.a! } });
    }
  }
  for (let i = 0; i < 5; i++) {
    const sampleId = await sample(`b/new-${i}.png`);
    await prisma.versionSample.create({ data: { versionId: v2, sampleId, classId: classIds.b! } });
  }
  for (let i = 0; i < 3; i++) {
    await prisma.unlabeledSample.create({
      data: { versionId: v1, sampleId: await sample(`_unlabeled/${i}.png`) },
    });
  }
}, 60_000);
afterAll(() => gateway?.stop());

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: Array<{ node: { id: string } }>;
}

async function page(field: string, versionId: string, args: Record<string, unknown>) {
  const filters = field === "samples";
  const body = await gateway.gql<{ datasetVersion: Record<string, Page> }>(
    `query ($id: ID!, $first: Int, $after: String${filters ? ", $classId: ID, $split: String" : ""}) {
      datasetVersion(id: $id) { page: ${field}(first: $first, after: $after${filters ? ", classId: $classId, split: $split" : ""}) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } } }`,
    { id: versionId, ...args },
  );
  return { errors: body.errors, page: body.data?.datasetVersion?.page };
}

/** Every page of a list, following endCursor; ids in the order served. */
async function walk(field: string, versionId: string, args: Record<string, unknown>) {
  const ids: string[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (;;) {
    const { errors, page: current } = await page(field, versionId, { ...args, after });
    expect(errors).toBeUndefined();
    ids.push(...current!.edges.map((edge) => edge.node.id));
    totals.add(current!.totalCount);
    expect(current!.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!current!.pageInfo.hasNextPage) return { ids, totals: [...totals] };
    after = current!.pageInfo.endCursor;
  }
}

/** The order pages promise, computed independently: path, then id, of the members that match. */
async function expected(table: "VersionSample" | "UnlabeledSample", versionId: string, where = "TRUE") {
  const rows = await gateway.prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT s.id::text AS id FROM "${table}" m JOIN "Sample" s ON s.id = m."sampleId"
     WHERE m."versionId" = $1::uuid AND ${where} ORDER BY s."originalPath", s.id`,
    versionId,
  );
  return rows.map((row) => row.id);
}

describe("keyset pages of a version's samples", () => {
  it("walks every sample once, in path-then-id order, with the version's total on each page", async () => {
    const all = await expected("VersionSample", v1);
    expect(await walk("samples", v1, { first: 4 })).toEqual({ ids: all, totals: [18] });
    expect(await walk("unlabeledSamples", v1, { first: 2 })).toEqual({
      ids: await expected("UnlabeledSample", v1),
      totals: [3],
    });
  });

  it("filters by class (the folder that sorts last included) and split, with the filter's total", async () => {
    const c = classIds.c!;
    expect(await walk("samples", v1, { first: 4, classId: c })).toEqual({
      ids: await expected("VersionSample", v1, `m."classId" = '${c}'`),
      totals: [6],
    });
    expect(await walk("samples", v1, { first: 2, classId: classIds.b, split: "test" })).toEqual({
      ids: await expected("VersionSample", v1, `m."classId" = '${classIds.b}' AND m.split = 'test'`),
      totals: [2],
    });
    const none = await page("samples", v1, { first: 4, split: "validation" });
    expect(none.page).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
  });

  it("answers pages of two versions at different cursors with one statement", async () => {
    const first = await page("samples", v1, { first: 3 });
    const second = await page("samples", v2, { first: 3 });
    gateway.sqlStatements.length = 0;
    const body = await gateway.gql<Record<string, { samples: Page }>>(
      `query ($v1: ID!, $v2: ID!, $a1: String, $a2: String) {
        one: datasetVersion(id: $v1) { samples(first: 3, after: $a1) { edges { node { id } } } }
        two: datasetVersion(id: $v2) { samples(first: 3, after: $a2) { edges { node { id } } } } }`,
      { v1, v2, a1: first.page!.pageInfo.endCursor, a2: second.page!.pageInfo.endCursor },
    );
    expect(body.data!.one!.samples.edges.map((e) => e.node.id)).toEqual(
      (await expected("VersionSample", v1)).slice(3, 6),
    );
    expect(body.data!.two!.samples.edges.map((e) => e.node.id)).toEqual(
      (await expected("VersionSample", v2)).slice(3, 6),
    );
    expect(gateway.sqlStatements.filter((sql) => sql.includes("LEFT JOIN LATERAL"))).toHaveLength(1);
  });

  it("refuses offset cursors of earlier releases and cursors it did not issue, as BAD_USER_INPUT", async () => {
    for (const after of [Buffer.from("offset:3").toString("base64url"), "not-a-cursor", ""]) {
      const { errors } = await page("samples", v1, { first: 2, after });
      if (after === "") expect(errors).toBeUndefined();
      else expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    // Filters are remembered per version: a split longer than any name is refused, not kept.
    const { errors } = await page("samples", v1, { first: 2, split: "x".repeat(201) });
    expect(errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "split" });
  });
});
