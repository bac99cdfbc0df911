import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { artifactsDir, repoRoot } from "./paths";

export interface RunningStack {
  /** `http://127.0.0.1:<port>`: the dashboard at `/`, GraphQL at `/graphql`. */
  url: string;
  adminToken: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 150_000;
const STOP_GRACE_MS = 15_000;

/**
 * The real stack as `npm start` runs it (gateway, embedded PostgreSQL, a local inference tier),
 * as a child process on free ports with its data in a temporary folder. Its log goes to
 * test-artifacts/e2e-gateway.log.
 */
export async function startStack(): Promise<RunningStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "tessera-e2e-"));
  const adminToken = `tsr_e2e-admin-${randomBytes(12).toString("hex")}`;
  await mkdir(artifactsDir, { recursive: true });
  const log = createWriteStream(path.join(artifactsDir, "e2e-gateway.log"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    INFERENCE_PORT: "0",
    TESSERA_DATA_DIR: dataDir,
    TESSERA_ADMIN_TOKEN: adminToken,
  };
  // The embedded database and a local tier, whatever the surrounding shell points at; and the
  // gateway's usual log (it is silent under VITEST), which says where it listens.
  delete env.DATABASE_URL;
  delete env.INFERENCE_URL;
  delete env.VITEST;
  env.LOG_LEVEL = "info";
  const child = spawn(
    process.execPath,
    [
      "--experimental-wasm-modules",
      "--no-warnings=ExperimentalWarning",
      "--import",
      "tsx",
      "gateway/src/main.ts",
    ],
    { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stderr?.pipe(log);
  const cleanUp = async () => {
    await stopProcess(child);
    log.end();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await listeningUrl(child, log);
    return { url, adminToken, stop: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Reads the gateway's JSON log until it says where it listens. */
function listeningUrl(child: ChildProcess, log: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `the gateway did not start within ${START_TIMEOUT_MS / 1000} s (see test-artifacts/e2e-gateway.log)`,
          ),
        ),
      START_TIMEOUT_MS,
    );
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(
        new Error(`the gateway exited with ${code} before listening (see test-artifacts/e2e-gateway.log)`),
      );
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      log.write(`${line}\n`);
      const entry = parseLogLine(line);
      if (entry?.msg === "gateway listening" && typeof entry.url === "string") {
        clearTimeout(timer);
        resolve(entry.url.replace(/\/graphql$/, ""));
      }
    });
  });
}

function parseLogLine(line: string): { msg?: string; url?: unknown } | null {
  try {
    return JSON.parse(line) as { msg?: string; url?: unknown };
  } catch {
    return null;
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
