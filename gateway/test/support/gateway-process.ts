import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** The gateway as `npm start` runs it: its own process and its own local tier. */
export interface GatewayProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once `pattern` appears in the output; rejects if the process exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGKILL, as a crash or the OOM killer ends it: nothing is cleaned up. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * Starts gateway/src/main.ts with an embedded database in `env.TESSERA_DATA_DIR` on free ports and
 * resolves once GET /healthz answers 200.
 */
export async function spawnGateway(env: Record<string, string>, timeoutMs = 90_000): Promise<GatewayProcess> {
  const [port, inferencePort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      "--experimental-wasm-modules",
      "--no-warnings=ExperimentalWarning",
      "--import",
      "tsx",
      "gateway/src/main.ts",
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        INFERENCE_PORT: String(inferencePort),
        DATABASE_URL: "",
        INFERENCE_URL: "",
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);

  const waitForOutput = (pattern: RegExp, waitMs: number) =>
    new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        listeners.delete(check);
        child.off("exit", exited);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (pattern.test(output)) done();
      };
      const exited = () =>
        done(new Error(`the gateway exited before printing ${pattern}:\n${output.slice(-3000)}`));
      const timer = setTimeout(
        () =>
          done(new Error(`the gateway did not print ${pattern} in ${waitMs} ms:\n${output.slice(-3000)}`)),
        waitMs,
      );
      listeners.add(check);
      child.once("exit", exited);
      check();
    });

  const gateway: GatewayProcess = {
    child,
    url,
    output: () => output,
    waitForOutput,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
  try {
    await untilHealthy(url, child, timeoutMs);
  } catch (error) {
    await gateway.kill();
    throw new Error(`${(error as Error).message}:\n${output.slice(-3000)}`);
  }
  return gateway;
}

async function untilHealthy(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited early with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("gateway did not become healthy");
}
