import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnGateway, type GatewayProcess } from "../support/gateway-process";
import { spawnWorker } from "../training/worker/worker-process";

const TOKEN = "tsr_graceful-shutdown-test-token";

/** The gateway as `npm start` runs it: its own process, its own tier, stopped with SIGTERM. */
describe("the gateway process on SIGTERM", () => {
  let dataDir: string;
  let gateway: GatewayProcess;
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "tessera-shutdown-"));
    gateway = await spawnGateway({ TESSERA_DATA_DIR: dataDir, TESSERA_ADMIN_TOKEN: TOKEN });
    ({ child, url } = gateway);
  }, 120_000);

  afterAll(async () => {
    await gateway?.kill();
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
    const output = gateway.output();
    expect(code, output.slice(-2000)).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // The local tier went with it: nothing answers on its port any more.
    const tierPid = /"service":"inference","pid":(\d+)/.exec(output)?.[1];
    expect(tierPid).toBeDefined();
    expect(() => process.kill(Number(tierPid), 0)).toThrow();
  }, 60_000);
});
