import { createServer, type Server } from "node:http";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger";
import { webAppRoutes } from "../../src/http/web-app";

const logger = createLogger({ level: "silent" });

let dir: string;
let server: Server;
let base: string;

const page = "<!doctype html><title>Tessera</title>";
const script = "console.log('app')";

async function listen(app: express.Express): Promise<[Server, string]> {
  const listening = createServer(app);
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  const address = listening.address() as { port: number };
  return [listening, `http://127.0.0.1:${address.port}`];
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "tessera-web-app-"));
  await mkdir(path.join(dir, "assets"));
  await writeFile(path.join(dir, "index.html"), page);
  await writeFile(path.join(dir, "assets/index-abc123.js"), script);
  const app = express();
  // Stand-ins for the API routes server.ts mounts first.
  app.get("/graphql", (_req, res) => void res.json({ ide: false }));
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.use(webAppRoutes({ logger, dir }));
  [server, base] = await listen(app);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const browser = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("the built dashboard at /", () => {
  it("answers the root and any client-side route with index.html, uncached and unframeable", async () => {
    for (const route of ["/", "/models", "/models/ada/resnet-50/versions/v2?tab=files"]) {
      const response = await fetch(`${base}${route}`, { headers: browser });
      expect(response.status, route).toBe(200);
      expect(await response.text()).toBe(page);
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("serves hashed assets to be cached for good, and a 404 for an asset that is not there", async () => {
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe(script);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const missing = await fetch(`${base}/assets/index-old999.js`, { headers: browser });
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toBe(page);
  });

  it("never answers for the API's paths, even when a browser asks", async () => {
    expect(await (await fetch(`${base}/graphql`, { headers: browser })).json()).toEqual({ ide: false });
    expect(await (await fetch(`${base}/healthz`, { headers: browser })).json()).toEqual({ status: "ok" });
    for (const route of ["/files/model-versions/x.zip", "/graphql/extra", "/graphql-ide/1.0/main.js"]) {
      const response = await fetch(`${base}${route}`, { headers: browser });
      expect(response.status, route).toBe(404);
      expect(await response.text()).not.toBe(page);
    }
  });

  it("leaves requests for JSON to the API's 404", async () => {
    const response = await fetch(`${base}/models`, { headers: { accept: "application/json" } });
    expect(response.status).toBe(404);
  });

  it("says how to build the app when it is missing", async () => {
    const app = express();
    app.use(webAppRoutes({ logger, dir: path.join(dir, "not-built") }));
    const [unbuilt, url] = await listen(app);
    try {
      const response = await fetch(`${url}/`, { headers: browser });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("npm run build -w @tessera/web");
    } finally {
      await new Promise((resolve) => unbuilt.close(resolve));
    }
  });
});
