import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));

/** `npm run worker`'s command line, with this Node (npm would put a process of its own in between). */
function workerCommand(): string[] {
  const scripts = (
    JSON.parse(readFileSync(`${repoRoot}/package.json`, "utf8")) as { scripts: Record<string, string> }
  ).scripts;
  const [node, ...args] = scripts.worker!.split(" ");
  if (node !== "node") throw new Error(`npm run worker should start node, it runs: ${scripts.worker}`);
  return args;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGKILL: no chance to hand its job back. */
  kill(): Promise<void>;
  /** SIGTERM, as a service manager stops it; resolves to its exit code. */
  terminate(): Promise<number | null>;
}

/** Starts a training worker process and resolves once it says it is ready. */
export async function spawnWorker(env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, workerCommand(), {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not get ready:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("worker ready")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with ${code} before it was ready:\n${output}`));
    });
  });
  await ready;
  return {
    child,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
    async terminate() {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
