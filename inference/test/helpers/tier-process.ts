import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isTierParentMessage } from "@tessera/proto/parent-messages";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const tierMain = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

export interface TierProcess {
  child: ChildProcess;
  port: number;
  /** Everything the tier printed on stdout so far. */
  stdout(): string;
  /** SIGTERM (or `signal`) and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the tier exactly as a user would, as its own process, on `port` (0: a free one). Unless
 * `env` names one, the tier gets a model cache of its own, removed when it stops.
 */
export async function startTierProcess(port = 0, env: Record<string, string> = {}): Promise<TierProcess> {
  const ownCache = env.INFERENCE_CACHE_DIR ? null : mkdtempSync(path.join(tmpdir(), "tessera-tier-test-"));
  const child = spawn(process.execPath, ["--import", "tsx", tierMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      INFERENCE_PORT: String(port),
      ...(ownCache && { INFERENCE_CACHE_DIR: ownCache }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  if (ownCache) child.once("close", () => rmSync(ownCache, { recursive: true, force: true }));
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const bound = await new Promise<number>((resolve, reject) => {
    child.on("message", (message) => {
      if (!isTierParentMessage(message)) return;
      if (message.type === "tessera-inference:listening") resolve(message.port);
      else reject(new Error(`tier failed to start: ${message.reason}`));
    });
    child.once("exit", (code) => reject(new Error(`tier exited with ${code}: ${stdout}${stderr}`)));
  });
  return {
    child,
    port: bound,
    stdout: () => stdout,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, "close");
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Runs the tier and waits for it to exit, for starts that must fail. */
export async function runTierUntilExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", tierMain], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout };
}
