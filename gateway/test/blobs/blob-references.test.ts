import { createHash } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BlobReferences } from "../../src/blobs/blob-references";
import { ErrorCode } from "../../src/errors";
import type { BlobStore } from "../../src/storage/blob-store";
import { createTestDatabase, type TestDatabase } from "../support/database";

const sha256Of = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The part of a blob store that BlobReferences uses, in memory: `has` answers from a set, and
 * `delete` can be held open at a gate to stand for a release caught between its unlink and commit.
 */
class MemoryStore {
  readonly blobs = new Set<string>();
  hasCalls = 0;
  deleteGate: { reached: () => void; open: Promise<void> } | null = null;

  has(sha256: string): Promise<boolean> {
    this.hasCalls += 1;
    return Promise.resolve(this.blobs.has(sha256));
  }

  async delete(sha256: string): Promise<boolean> {
    const gate = this.deleteGate;
    if (gate) {
      gate.reached();
      await gate.open;
    }
    return this.blobs.delete(sha256);
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("BlobReferences", () => {
  let database: TestDatabase;
  let store: MemoryStore;
  let references: BlobReferences;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());
  beforeEach(async () => {
    // Deleting 20,000 Blob rows one foreign-key check at a time takes seconds; this database holds
    // nothing else.
    await database.prisma.$executeRaw`TRUNCATE "Blob" CASCADE`;
    store = new MemoryStore();
    references = new BlobReferences(
      database.prisma,
      store as unknown as BlobStore,
      pino({ level: "silent" }),
    );
  });

  const artifact = (sha256: string) => ({
    sha256,
    contentType: "text/plain",
    fileName: "a.txt",
    expiresAt: new Date(Date.now() + 3_600_000),
  });

  it("records 20,000 blobs in one transaction holding at most 256 advisory locks", async () => {
    const blobs = Array.from({ length: 20_000 }, (_, i) => ({ sha256: sha256Of(`blob ${i}`), sizeBytes: i }));
    for (const blob of blobs) store.blobs.add(blob.sha256);
    const locks = await database.prisma.$transaction(
      async (tx) => {
        await references.record(tx, [...blobs, blobs[0]!]);
        const held = await tx.$queryRaw<Array<{ count: bigint }>>`
          SELECT count(*) AS count FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`;
        return Number(held[0]!.count);
      },
      { timeout: 60_000 },
    );
    // 20,000 random hashes fill every one of the 256 buckets.
    expect(locks).toBe(256);
    expect(store.hasCalls).toBe(20_000);
    expect(await database.prisma.blob.count()).toBe(20_000);
    const row = await database.prisma.blob.findUnique({ where: { sha256: blobs[1234]!.sha256 } });
    expect(row?.sizeBytes).toBe(1234n);
    // Recording blobs that already have rows changes nothing.
    await database.prisma.$transaction((tx) => references.record(tx, blobs.slice(0, 10)));
    expect(await database.prisma.blob.count()).toBe(20_000);
  });

  it("refuses with CONFLICT and writes no row when one file is missing", async () => {
    const present = { sha256: sha256Of("present"), sizeBytes: 1 };
    const missing = { sha256: sha256Of("missing"), sizeBytes: 2 };
    store.blobs.add(present.sha256);
    await expect(
      database.prisma.$transaction((tx) => references.record(tx, [present, missing])),
    ).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    expect(await database.prisma.blob.count()).toBe(0);
  });

  it("a record that waits for a release deleting its blob ends in CONFLICT, leaving no row", async () => {
    const blob = { sha256: sha256Of("shared"), sizeBytes: 6 };
    store.blobs.add(blob.sha256);
    await database.prisma.$transaction((tx) => references.record(tx, [blob]));
    const reached = deferred();
    const open = deferred();
    store.deleteGate = { reached: reached.resolve, open: open.promise };

    const release = references.release([blob.sha256]);
    await reached.promise; // the release holds the bucket, its row deleted, about to unlink
    const record = database.prisma.$transaction(async (tx) => {
      await references.record(tx, [blob]);
      await tx.inferenceArtifact.create({ data: artifact(blob.sha256) });
    });
    open.resolve();

    await expect(record).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    await release;
    expect(store.blobs.has(blob.sha256)).toBe(false);
    expect(await database.prisma.blob.count()).toBe(0);
    expect(await database.prisma.inferenceArtifact.count()).toBe(0);
  });

  it("a release that waits for a record of the same blob keeps the file and its row", async () => {
    const blob = { sha256: sha256Of("kept"), sizeBytes: 4 };
    store.blobs.add(blob.sha256);
    const recorded = deferred();
    const commit = deferred();
    const record = database.prisma.$transaction(async (tx) => {
      await references.record(tx, [blob]);
      recorded.resolve();
      await commit.promise;
      await tx.inferenceArtifact.create({ data: artifact(blob.sha256) });
    });

    await recorded.promise; // the record holds the bucket, its row not yet committed
    const release = references.release([blob.sha256]);
    commit.resolve();
    await record;
    await release;

    expect(store.blobs.has(blob.sha256)).toBe(true);
    expect(await database.prisma.blob.count()).toBe(1);
    expect(await database.prisma.inferenceArtifact.count()).toBe(1);
  });
});
