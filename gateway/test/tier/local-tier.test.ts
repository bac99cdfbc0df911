import net from "node:net";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger";
import { LocalTierError, startLocalTier, type LocalTier } from "../../src/tier/local-tier";
import { TierClient } from "../../src/tier/tier-client";

const logger = createLogger({ level: "silent" });

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function collectLines(): { stream: PassThrough; lines: () => Array<Record<string, unknown>> } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return {
    stream,
    lines: () =>
      text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("the gateway's local tier", () => {
  let tier: LocalTier | undefined;
  let client: TierClient | undefined;

  afterEach(async () => {
    client?.close();
    await tier?.stop();
    tier = undefined;
  });

  it("starts the tier process, forwards its JSON log lines and stops it", async () => {
    const output = collectLines();
    tier = await startLocalTier({
      port: 0,
      tritonUrl: null,
      logger,
      output: output.stream,
      env: { LOG_LEVEL: "info" },
    });
    client = new TierClient({ urls: [tier.url], logger });
    expect(await client.kserve("ServerReady", {})).toEqual({ ready: true });
    const listening = output.lines().find((line) => String(line.msg).startsWith("inference tier listening"));
    expect(listening).toMatchObject({
      service: "inference",
      pid: tier.pid(),
      msg: `inference tier listening on ${tier.url}`,
    });

    const pid = tier.pid()!;
    await tier.stop();
    expect(isRunning(pid)).toBe(false);
    expect(output.lines().at(-1)).toMatchObject({ service: "inference", msg: "inference tier stopped" });
  });

  it("restarts a tier that dies, on the same port", async () => {
    tier = await startLocalTier({ port: 0, tritonUrl: null, logger, restartDelayMs: 50 });
    client = new TierClient({ urls: [tier.url], logger, probeIntervalMs: 100 });
    const firstPid = tier.pid()!;
    process.kill(firstPid, "SIGKILL");
    await until(() => tier!.pid() !== firstPid);
    await until(async () => (await client!.ready()).ready);
    expect(await client.kserve("ServerLive", {})).toEqual({ live: true });
  });

  it("fails with the tier's reason when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const error = await startLocalTier({ port, tritonUrl: null, logger }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(LocalTierError);
      expect((error as Error).message).toBe(
        `The local inference tier could not start: Cannot listen on 127.0.0.1:${port}: the address is already in use. Stop the process using it or set INFERENCE_PORT to a free port.`,
      );
    } finally {
      blocker.close();
    }
  });

  it("fails with the tier's reason when its configuration is wrong", async () => {
    const error = await startLocalTier({
      port: 0,
      tritonUrl: null,
      logger,
      env: { INFERENCE_SHUTDOWN_GRACE_MS: "soon" },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalTierError);
    expect((error as Error).message).toBe(
      'The local inference tier could not start: INFERENCE_SHUTDOWN_GRACE_MS must be an integer of at least 0, got "soon"',
    );
  });
});
