import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnWorker } from "../training/worker/worker-process";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const TOKEN = "tsr_graceful-shutdown-test-token";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
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

/** The gateway as `npm start` runs it: its own process, its own tier, stopped with SIGTERM. */
describe("the gateway process on SIGTERM", () => {
  let dataDir: string;
  let child: ChildProcess;
  let url: string;
  let output = "";

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "tessera-shutdown-"));
    const [port, inferencePort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}`;
    child = spawn(
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
          TESSERA_DATA_DIR: dataDir,
          TESSERA_ADMIN_TOKEN: TOKEN,
          DATABASE_URL: "",
          INFERENCE_URL: "",
          LOG_LEVEL: "info",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    await untilHealthy(url, child, 90_000);
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  });

  it("serves its embedded database only with the password it made, which `npm run worker` finds", async () => {
    const password = (await readFile(path.join(dataDir, "database-password"), "utf8")).trim();
    const published = (await readFile(path.join(dataDir, "database-url"), "utf8")).trim();
    for (const file of ["database-password", "database-url"]) {
      expect((await stat(path.join(dataDir, file))).mode & 0o777, file).toBe(0o600);
    }
    const wrong = new URL(published);
    expect(wrong.hostname).toBe("127.0.0.1");
    expect(wrong.password).toBe(password);
    wrong.password = "guessed";
    const intruder = new pg.Client({ connectionString: wrong.toString() });
    await expect(intruder.connect()).rejects.toMatchObject({ code: "28P01" });

    const worker = await spawnWorker({ TESSERA_DATA_DIR: dataDir, DATABASE_URL: "", INFERENCE_URL: "" });
    expect(await worker.terminate()).toBe(0);
  }, 90_000);

  it("finishes the request in flight, refuses new connections, stops its tier and exits 0", async () => {
    // A request whose body is still arriving when SIGTERM comes must get its answer.
    let sendRest!: () => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"{ me { handle } }"'));
        sendRest = () => {
          controller.enqueue(new TextEncoder().encode("}"));
          controller.close();
        };
      },
    });
    const inFlight = fetch(`${url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 200));
    sendRest();

    const response = await inFlight;
    expect(await response.json()).toEqual({ data: { me: { handle: "admin" } } });
    const [code] = await exited;
    expect(code, output.slice(-2000)).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // The local tier went with it: nothing answers on its port any more.
    const tierPid = /"service":"inference","pid":(\d+)/.exec(output)?.[1];
    expect(tierPid).toBeDefined();
    expect(() => process.kill(Number(tierPid), 0)).toThrow();
  }, 60_000);
});
