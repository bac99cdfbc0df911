import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config";
import {
  embeddedDatabaseUrlFile,
  publishEmbeddedDatabase,
  readEmbeddedDatabaseUrl,
} from "../../../src/training/worker/embedded-database-url";

describe("the embedded database's address for worker processes", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "tessera-embedded-url-"));
  });

  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("is readable while the gateway runs, only by its user, and gone after it stops", async () => {
    const url = "postgresql://postgres:the-password@127.0.0.1:54321/postgres";
    // Left by a crashed gateway with a mode someone loosened: overwriting alone would keep 0644.
    await writeFile(embeddedDatabaseUrlFile(dataDir), "stale\n", { mode: 0o644 });
    const unpublish = await publishEmbeddedDatabase(dataDir, url);
    expect(await readEmbeddedDatabaseUrl(dataDir)).toBe(url);
    expect((await stat(embeddedDatabaseUrlFile(dataDir))).mode & 0o777).toBe(0o600);
    await unpublish();
    const error = await readEmbeddedDatabaseUrl(dataDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("Start the gateway first with the same TESSERA_DATA_DIR");
  });
});
