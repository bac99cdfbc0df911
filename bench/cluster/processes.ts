import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort } from "../../gateway/test/support/gateway-process";
import { deferCleanup } from "../lib/cleanup";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const NODE_FLAGS = ["--experimental-wasm-modules", "--no-warnings=ExperimentalWarning", "--import", "tsx"];
/** What a process keeps of its own output for an error message: the end is what explains a failure. */
const KEPT_OUTPUT_CHARS = 20_000;

/** A Tessera process the bench started (a gateway replica, the job worker, the S3 server). */
export interface BenchProcess {
  name: string;
  child: ChildProcess;
  /** The last lines it printed, stdout and stderr together. */
  output(): string;
  /** Resolves once `pattern` appears in its output; rejects if it exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** User + system CPU seconds it has used so far, its threads included (Linux /proc; NaN elsewhere). */
  cpuSeconds(): number;
  /** SIGTERM, then SIGKILL if it has not exited within 15 s. */
  stop(): Promise<void>;
}

/** Runs `node <flags> <script>` from the repository root, as `npm start` / `npm run worker` do. */
export function spawnNodeProcess(name: string, script: string, env: Record<string, string>): BenchProcess {
  const child = spawn(process.execPath, [...NODE_FLAGS, script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    child,
    output: () => output,
    waitForOutput: (pattern, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const finish = (error?: Error) => {
          listeners.delete(check);
          child.off("exit", onExit);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        const check = () => pattern.test(output) && finish();
        const onExit = () =>
          finish(new Error(`${name} exited before printing ${pattern}:\n${output.slice(-3000)}`));
        const timer = setTimeout(
          () =>
            finish(new Error(`${name} did not print ${pattern} in ${timeoutMs} ms:\n${output.slice(-3000)}`)),
          timeoutMs,
        );
        listeners.add(check);
        child.once("exit", onExit);
        check();
      }),
    cpuSeconds: () => processCpuSeconds(child.pid),
    // Registered at once: a bench interrupted while processes start still stops every one of them.
    stop: deferCleanup(async () => {
      if (exited()) return;
      const gone = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await gone;
      clearTimeout(timer);
    }),
  };
}

/** A gateway replica (gateway/src/main.ts) on a free port; resolves once GET /healthz answers 200. */
export async function spawnGatewayReplica(
  name: string,
  env: Record<string, string>,
  timeoutMs = 180_000,
): Promise<BenchProcess & { url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = spawnNodeProcess(name, "gateway/src/main.ts", {
    ...env,
    HOST: "127.0.0.1",
    PORT: String(port),
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gateway.child.exitCode !== null)
      throw new Error(`${name} exited with ${gateway.child.exitCode}:\n${gateway.output().slice(-3000)}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { ...gateway, url };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await gateway.stop();
  throw new Error(`${name} was not healthy after ${timeoutMs} ms:\n${gateway.output().slice(-3000)}`);
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of /proc/<pid>/stat (fields 14 and 15), in seconds. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; count fields from the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
