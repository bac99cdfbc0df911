import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgPool } from "../../src/db/prisma";
import { AppError, ErrorCode } from "../../src/errors";
import { VectorStore, indexName } from "../../src/vectors/vector-store";
import { createTestDatabase, onRealServer, type TestDatabase } from "../support/database";
import { createSamples, createSpace } from "./embedding-tables";

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;
const DATASET_A = uuid(900_001);
const DATASET_B = uuid(900_002);
const SPACE_3D = uuid(800_003);
const SPACE_8D = uuid(800_008);

/** Unit vectors in the x–y plane at 0°, 10°, …, 350°: cosine distance is 1 − cos(angle apart). */
const circle = Array.from({ length: 36 }, (_, i) => {
  const angle = (i * 10 * Math.PI) / 180;
  return {
    sampleId: uuid(i),
    datasetId: i % 2 ? DATASET_B : DATASET_A,
    vector: [Math.cos(angle), Math.sin(angle), 0],
  };
});

/** A seeded generator so the HNSW comparison is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
}

let database: TestDatabase;
let pool: pg.Pool;
let store: VectorStore;
let space3: { id: string; dimension: number };
let space8: { id: string; dimension: number };

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPgPool(database.url);
  // Embedding rows reference real samples: every id a test stores a vector for exists up front.
  const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => uuid(from + i));
  await createSamples(pool, DATASET_A, [...ids(10_000, 500), ...ids(100, 1), ...ids(200, 2)]);
  await createSamples(
    pool,
    DATASET_A,
    circle.filter((c) => c.datasetId === DATASET_A).map((c) => c.sampleId),
  );
  await createSamples(
    pool,
    DATASET_B,
    circle.filter((c) => c.datasetId === DATASET_B).map((c) => c.sampleId),
  );
  space3 = await createSpace(pool, SPACE_3D, 3);
  space8 = await createSpace(pool, SPACE_8D, 8);
  store = new VectorStore(pool);
  await store.upsert(space3, circle);
  await store.ensureIndex(space3);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await database?.close();
});

describe(`VectorStore on ${onRealServer ? "PostgreSQL" : "PGlite"}`, () => {
  it("finds the exact nearest unit vectors with their cosine distances", async () => {
    const found = await store.exactSearch(space3, [1, 0, 0], { k: 3 });
    expect(found.map((n) => n.sampleId)).toEqual([uuid(0), uuid(1), uuid(35)]);
    expect(found[0]!.distance).toBeCloseTo(0, 12);
    expect(found[1]!.distance).toBeCloseTo(1 - Math.cos(Math.PI / 18), 7);
    expect(found[2]!.distance).toBeCloseTo(1 - Math.cos(Math.PI / 18), 7);
  });

  it("measures by direction only: a scaled query finds the same neighbours", async () => {
    const found = await store.exactSearch(space3, [0, 50, 0], { k: 1 });
    expect(found).toEqual([{ sampleId: uuid(9), datasetId: DATASET_B, distance: expect.closeTo(0, 6) }]);
  });

  it("answers through the HNSW index exactly as the full scan does on small data", async () => {
    for (const query of [
      [1, 0, 0],
      [0.3, -0.7, 0.1],
      [-1, -1, 0],
    ]) {
      expect(await store.search(space3, query, { k: 5 })).toEqual(
        await store.exactSearch(space3, query, { k: 5 }),
      );
    }
  });

  it("plans the search on the space's partial HNSW index and the exact search without it", async () => {
    // On 36 rows a sequential scan is cheaper and the planner rightly picks it; forbidding it
    // shows which index, if any, the query can use.
    const plan = async (sql: string) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query("SET LOCAL enable_seqscan = off");
        const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, [
          SPACE_3D,
          "[1,0,0]",
        ]);
        await client.query("COMMIT");
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      } finally {
        client.release();
      }
    };
    const order = `FROM "Embedding" WHERE "spaceId" = $1 ORDER BY`;
    expect(await plan(`SELECT 1 ${order} "embedding"::vector(3) <=> $2::vector(3) LIMIT 5`)).toContain(
      `Index Scan using "${indexName(space3)}"`,
    );
    expect(await plan(`SELECT 1 ${order} "embedding" <=> $2::vector(3) LIMIT 5`)).not.toContain("hnsw");
  });

  it("searches from a stored sample, leaving that sample out", async () => {
    const found = await store.searchBySample(space3, uuid(18), { k: 2 });
    expect(found.map((n) => n.sampleId).sort()).toEqual([uuid(17), uuid(19)]);
  });

  it("keeps to the datasets asked for, through the index and by the full scan", async () => {
    const options = { k: 3, datasetIds: [DATASET_A] };
    const expected = [uuid(0), uuid(2), uuid(34)];
    expect((await store.exactSearch(space3, [1, 0, 0], options)).map((n) => n.sampleId)).toEqual(expected);
    expect((await store.search(space3, [1, 0, 0], options)).map((n) => n.sampleId)).toEqual(expected);
  });

  it("matches exact search through HNSW on 500 random 8-d vectors", async () => {
    const next = random(7);
    const rows = Array.from({ length: 500 }, (_, i) => ({
      sampleId: uuid(10_000 + i),
      datasetId: DATASET_A,
      vector: Array.from({ length: 8 }, next),
    }));
    await store.upsert(space8, rows);
    await store.ensureIndex(space8);
    for (let q = 0; q < 5; q++) {
      const query = Array.from({ length: 8 }, next);
      const approximate = await store.search(space8, query, { k: 10, efSearch: 200 });
      expect(approximate.map((n) => n.sampleId)).toEqual(
        (await store.exactSearch(space8, query, { k: 10 })).map((n) => n.sampleId),
      );
    }
    // The other space is untouched by this one's rows.
    expect(await store.exactSearch(space3, [1, 0, 0], { k: 40 })).toHaveLength(36);
  });

  it("replaces a sample's vector when it is stored again", async () => {
    await store.upsert(space3, [{ sampleId: uuid(100), datasetId: DATASET_A, vector: [0, 0, 1] }]);
    await store.upsert(space3, [
      { sampleId: uuid(100), datasetId: DATASET_A, vector: [0, 0, -2], quality: 0.5 },
    ]);
    expect(await store.vectorOf(space3, uuid(100))).toEqual([0, 0, -2]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "Embedding" WHERE "sampleId" = $1`, [
      uuid(100),
    ]);
    expect(rows[0].n).toBe(1);
  });

  it("refuses a vector of the wrong dimension with BAD_USER_INPUT and stores nothing", async () => {
    const upsert = store.upsert(space3, [
      { sampleId: uuid(200), datasetId: DATASET_A, vector: [1, 0, 0] },
      { sampleId: uuid(201), datasetId: DATASET_A, vector: [1, 0] },
    ]);
    await expect(upsert).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      message: `The vector of sample ${uuid(201)} has 2 dimensions; embedding space ${SPACE_3D} holds vectors of 3.`,
    });
    expect(await store.vectorOf(space3, uuid(200))).toBeNull();
    await expect(store.search(space3, [1, 0, 0, 0], { k: 1 })).rejects.toBeInstanceOf(AppError);
    await expect(store.search(space3, [1, 0, 0, 0], { k: 1 })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      message: `The query vector has 4 dimensions; embedding space ${SPACE_3D} holds vectors of 3.`,
    });
  });

  it("refuses zero vectors, non-finite values and a k out of range", async () => {
    await expect(store.search(space3, [0, 0, 0], { k: 1 })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      message: "The query vector is all zeros; cosine distance needs a non-zero vector.",
    });
    await expect(store.search(space3, [1, Number.NaN, 0], { k: 1 })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
    });
    await expect(store.search(space3, [1, 0, 0], { k: 0 })).rejects.toMatchObject({
      message: "k must be between 1 and 1000, got 0",
    });
  });

  it("answers NOT_FOUND for a sample without an embedding in the space", async () => {
    await expect(store.searchBySample(space3, uuid(555), { k: 1 })).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
  });

  it("sets ef_search only for its own transaction, so it never leaks into other queries", async () => {
    await store.search(space3, [1, 0, 0], { k: 5, efSearch: 321 });
    const { rows } = await pool.query(`SELECT current_setting('hnsw.ef_search', true) AS value`);
    expect(rows[0].value === null || rows[0].value === "40").toBe(true);
  });
});
