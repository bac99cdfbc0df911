import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareVersions } from "../../../src/datasets/diff/version-diff";
import { LocalBlobStore } from "../../../src/storage/local-blob-store";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { seedDataset, seedVersion } from "./seed-versions";

let database: TestDatabase;
let store: LocalBlobStore;
let root: string;
beforeAll(async () => {
  database = await createTestDatabase();
  root = await mkdtemp(path.join(tmpdir(), "tessera-diff-"));
  store = new LocalBlobStore(root);
});
afterAll(async () => {
  await database?.close();
  await rm(root, { recursive: true, force: true });
});

describe("compareVersions", () => {
  it("matches images by sha256 as multisets: same class first, then across classes", async () => {
    const dataset = await seedDataset(database.prisma, "multiset");
    // Two re-uploads: every sample row is new, only the bytes tell what stayed.
    const v1 = await seedVersion(database.prisma, store, dataset, [
      { bytes: "a", className: "cat" },
      { bytes: "a", className: "cat" },
      { bytes: "b", className: "cat" },
      { bytes: "c", className: "dog" },
      { bytes: "d", className: "dog" },
    ]);
    const v2 = await seedVersion(database.prisma, store, dataset, [
      { bytes: "a", className: "cat" },
      { bytes: "a", className: "dog" },
      { bytes: "b", className: "cat" },
      { bytes: "e", className: "dog" },
      { bytes: "e", className: "dog" },
      // The pool is not compared.
      { bytes: "a", className: null },
      { bytes: "z", className: null },
    ]);
    expect(await compareVersions(database.prisma, v2.versionId, v1.versionId)).toEqual({
      added: 2,
      removed: 2,
      relabelled: 1,
      unchanged: 2,
      classes: [
        { name: "cat", added: 0, removed: 1, before: 3, after: 2 },
        { name: "dog", added: 3, removed: 2, before: 2, after: 3 },
      ],
    });
    expect(await compareVersions(database.prisma, v1.versionId, v2.versionId)).toEqual({
      added: 2,
      removed: 2,
      relabelled: 1,
      unchanged: 2,
      classes: [
        { name: "cat", added: 1, removed: 0, before: 2, after: 3 },
        { name: "dog", added: 2, removed: 3, before: 3, after: 2 },
      ],
    });
    const same = await compareVersions(database.prisma, v1.versionId, v1.versionId);
    expect(same).toMatchObject({ added: 0, removed: 0, relabelled: 0, unchanged: 5 });
  });

  it("lists a class only one side has, with zero on the other", async () => {
    const dataset = await seedDataset(database.prisma, "renamed");
    const v1 = await seedVersion(database.prisma, store, dataset, [
      { bytes: "p", className: "old" },
      { bytes: "q", className: "kept" },
    ]);
    const v2 = await seedVersion(database.prisma, store, dataset, [
      { bytes: "p", className: "new", sampleId: v1.sampleIds[0] },
      { bytes: "q", className: "kept", sampleId: v1.sampleIds[1] },
    ]);
    expect(await compareVersions(database.prisma, v2.versionId, v1.versionId)).toEqual({
      added: 0,
      removed: 0,
      relabelled: 1,
      unchanged: 1,
      classes: [
        { name: "kept", added: 0, removed: 0, before: 1, after: 1 },
        { name: "new", added: 1, removed: 0, before: 0, after: 1 },
        { name: "old", added: 0, removed: 1, before: 1, after: 0 },
      ],
    });
  });
});
