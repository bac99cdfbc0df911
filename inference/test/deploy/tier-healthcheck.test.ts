import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTierConfig } from "../../src/config";
import { createTierLogger } from "../../src/logger";
import { startTierServer, type RunningTier } from "../../src/server";

// deploy/tier-healthcheck.mjs is the compose file's health check of the tier: run as the container
// runs it, against a real tier, and against an address where nothing answers.

const script = path.resolve(import.meta.dirname, "../../../deploy/tier-healthcheck.mjs");
const run = promisify(execFile);

async function healthcheck(address: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [script, address]);
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe("deploy/tier-healthcheck.mjs", () => {
  let cacheDir: string;
  let tier: RunningTier;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), "tier-healthcheck-"));
    const config = {
      ...loadTierConfig({ INFERENCE_PORT: "0", INFERENCE_CACHE_DIR: cacheDir }),
      host: "127.0.0.1",
    };
    tier = await startTierServer(config, createTierLogger("silent"));
  });

  afterAll(async () => {
    await tier?.shutdown();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("exits 0 when the tier answers ServerReady with ready", async () => {
    expect(await healthcheck(`127.0.0.1:${tier.port}`)).toEqual({ code: 0, stderr: "" });
  });

  it("exits 1 and says why when nothing serves the address", async () => {
    const stopped = await startTierServer(
      { ...loadTierConfig({ INFERENCE_PORT: "0", INFERENCE_CACHE_DIR: cacheDir }), host: "127.0.0.1" },
      createTierLogger("silent"),
    );
    const address = `127.0.0.1:${stopped.port}`;
    await stopped.shutdown();

    const result = await healthcheck(address);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`tier at ${address}: `);
  });
});
