import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { loadKServe } from "@tessera/proto/kserve";
import { isTierParentMessage } from "@tessera/proto/parent-messages";
import type { Logger } from "../logger";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const tierMain = fileURLToPath(new URL("../../../inference/src/main.ts", import.meta.url));

export interface LocalTierOptions {
  /** 0 lets the tier pick a free port; restarts keep the port it got. */
  port: number;
  tritonUrl: string | null;
  logger: Logger;
  /** Where the tier's JSON log lines go. */
  output?: NodeJS.WritableStream;
  /** Extra environment for the tier (LOG_LEVEL, limits). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** How long the tier may drain after SIGTERM before it is killed. */
  stopTimeoutMs?: number;
  /** First wait before restarting a tier that died; doubles while it keeps dying soon after start. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
}

export class LocalTierError extends Error {
  override name = "LocalTierError";
}

/** A tier running as a child process of the gateway, restarted when it dies. */
export interface LocalTier {
  /** host:port for the tier client. */
  url: string;
  /** The current child's pid (changes on restart). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/** A tier that stays up this long has recovered: the next crash restarts after the first delay again. */
const STABLE_AFTER_MS = 60_000;

/**
 * Starts `inference/src/main.ts` as a child process on 127.0.0.1 and resolves once it answers
 * ServerReady. Rejects with the tier's own reason when it exits first (port taken, bad
 * configuration) or does not get ready in time.
 */
export async function startLocalTier(options: LocalTierOptions): Promise<LocalTier> {
  const logger = options.logger.child({ component: "local-tier" });
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const firstDelayMs = options.restartDelayMs ?? 500;
  const maxDelayMs = options.maxRestartDelayMs ?? 30_000;
  const first = await launch(options, options.port, readyTimeoutMs);
  const port = first.port;
  let child: ChildProcess = first.child;
  let startedAt = Date.now();
  let failedStarts = 0;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;

  const restartLater = () => {
    const delayMs = Math.min(firstDelayMs * 2 ** failedStarts, maxDelayMs);
    logger.warn({ port, restartInMs: delayMs }, "restarting the inference tier");
    restartTimer = setTimeout(async () => {
      try {
        const next = await launch(options, port, readyTimeoutMs);
        if (stopping) return void (await terminate(next.child, options.stopTimeoutMs));
        child = next.child;
        startedAt = Date.now();
        watch(child);
        logger.info({ port, pid: child.pid }, "inference tier restarted");
      } catch (error) {
        failedStarts += 1;
        logger.error({ err: error, port }, (error as Error).message);
        if (!stopping) restartLater();
      }
    }, delayMs);
  };
  const watch = (tierProcess: ChildProcess) =>
    tierProcess.once("exit", (code, signal) => {
      if (stopping) return;
      // A tier that crashes soon after every start is retried ever more slowly.
      failedStarts = Date.now() - startedAt >= STABLE_AFTER_MS ? 0 : failedStarts + 1;
      logger.error({ code, signal, pid: tierProcess.pid }, "the inference tier exited unexpectedly");
      restartLater();
    });
  watch(child);

  return {
    url: `127.0.0.1:${port}`,
    pid: () => child.pid,
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      await terminate(child, options.stopTimeoutMs);
    },
  };
}

/** Spawns one tier process and waits until it has bound its port and answers ServerReady. */
async function launch(
  options: LocalTierOptions,
  port: number,
  readyTimeoutMs: number,
): Promise<{ child: ChildProcess; port: number }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    INFERENCE_HOST: "127.0.0.1",
    INFERENCE_PORT: String(port),
  };
  if (options.tritonUrl) env.TRITON_URL = options.tritonUrl;
  else delete env.TRITON_URL;
  const child = spawn(process.execPath, ["--import", "tsx", tierMain], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    // Its own process group: a Ctrl-C or a SIGTERM sent to the gateway's group must not kill the
    // tier behind the gateway's back (the supervisor would restart it mid-shutdown). The gateway
    // stops it, and it exits by itself when the IPC channel to the gateway closes.
    detached: true,
  });
  const lastWords = forwardOutput(child, options.output ?? process.stdout, options.logger);

  const deadline = Date.now() + readyTimeoutMs;
  try {
    const bound = await untilListening(child, readyTimeoutMs, lastWords);
    await untilReady(bound, deadline, child);
    return { child, port: bound };
  } catch (error) {
    await terminate(child, 1_000);
    throw error;
  }
}

/** The port from the tier's IPC message, or why it never came: the tier's reason, else its last words. */
function untilListening(child: ChildProcess, timeoutMs: number, lastWords: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new LocalTierError(`The local inference tier did not start listening within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      if (!isTierParentMessage(message)) return;
      cleanup();
      if (message.type === "tessera-inference:listening") resolve(message.port);
      else reject(new LocalTierError(`The local inference tier could not start: ${message.reason}`));
    };
    // "close" comes after the tier's last output lines, which may explain the exit.
    const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(
        new LocalTierError(
          `The local inference tier exited (${signal ?? `code ${code}`}) before it was ready: ${lastWords()}`,
        ),
      );
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new LocalTierError(`Could not start the local inference tier: ${error.message}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("close", onClose);
      child.off("error", onError);
    };
    child.on("message", onMessage);
    child.once("close", onClose);
    child.once("error", onError);
  });
}

async function untilReady(port: number, deadline: number, child: ChildProcess): Promise<void> {
  const { GRPCInferenceService } = loadKServe();
  const client = new GRPCInferenceService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new LocalTierError("The local inference tier exited before it answered ServerReady");
      }
      const ready = await new Promise<boolean>((resolve) =>
        client.ServerReady({}, { deadline: Math.min(deadline, Date.now() + 1_000) }, (error, response) =>
          resolve(!error && Boolean(response?.ready)),
        ),
      );
      if (ready) return;
      if (Date.now() >= deadline) {
        throw new LocalTierError(
          `The local inference tier on port ${port} did not answer ServerReady in time`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.close();
  }
}

/**
 * Copies the tier's JSON log lines to `output` whole (never interleaved with the gateway's own
 * lines) and logs anything else it prints, such as a crash trace on stderr. Returns what best
 * explains an early exit: its last error-level log message, else its last stderr lines.
 */
function forwardOutput(child: ChildProcess, output: NodeJS.WritableStream, logger: Logger): () => string {
  let lastError: string | null = null;
  const stderrTail: string[] = [];
  if (child.stdout) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => {
      const entry = parseLogLine(line);
      if (!entry) return logger.info({ source: "inference" }, line);
      if (typeof entry.level === "number" && entry.level >= 50 && typeof entry.msg === "string")
        lastError = entry.msg;
      output.write(`${line}\n`);
    });
  }
  if (child.stderr) {
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
      logger.warn({ source: "inference", stream: "stderr" }, line);
    });
  }
  return () => lastError ?? (stderrTail.join("\n").trim() || "it printed no reason");
}

function parseLogLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith("{")) return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** SIGTERM, then SIGKILL when the tier has not exited after `timeoutMs`. */
async function terminate(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // "close" rather than "exit": the tier's last log lines are through the pipe by then.
  const exited = once(child, "close");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
}
