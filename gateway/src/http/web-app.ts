import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router, type Request } from "express";
import type { Logger } from "../logger";

/** Where `npm run build -w @tessera/web` writes the dashboard. */
export const defaultWebAppDir = fileURLToPath(new URL("../../../web/dist", import.meta.url));

/** Paths the API owns: the dashboard's fallback never answers them, even for a browser. */
const apiPrefixes = ["/graphql", "/graphql-ide", "/healthz", "/files"];

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

// The dashboard keeps its token in localStorage: no framing by other sites, no foreign scripts.
const contentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

export interface WebAppOptions {
  logger: Logger;
  /** The built app (index.html and assets/); defaults to web/dist. */
  dir?: string;
}

/**
 * Serves the built dashboard at `/`: hashed assets cached for good, and index.html for any other
 * browser navigation so client-side routes survive a reload. Mount it after every API route.
 */
export function webAppRoutes(options: WebAppOptions): Router {
  const dir = options.dir ?? defaultWebAppDir;
  const indexFile = path.join(dir, "index.html");
  const router = Router();
  if (!existsSync(indexFile)) {
    options.logger.warn({ dir }, "the web dashboard is not built: run `npm run build -w @tessera/web`");
    router.get("/", (_req, res) => {
      res
        .status(503)
        .type("text")
        .send("The web dashboard is not built. Run `npm run build -w @tessera/web`, then restart.\n");
    });
    return router;
  }

  router.use(
    "/assets",
    express.static(path.join(dir, "assets"), { index: false, immutable: true, maxAge: ONE_YEAR_MS }),
    // A missing hashed asset is a stale page asking for an old build: a 404, never index.html.
    (_req, res) => void res.status(404).type("text").send("No such asset\n"),
  );
  router.get(/.*/, (req, res, next) => {
    if (isApiPath(req.path) || !wantsPage(req)) return next();
    res
      .set({
        "Cache-Control": "no-cache",
        "Content-Security-Policy": contentSecurityPolicy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
      })
      .sendFile(indexFile);
  });
  return router;
}

function isApiPath(requestPath: string): boolean {
  return apiPrefixes.some((prefix) => requestPath === prefix || requestPath.startsWith(`${prefix}/`));
}

/** Browsers navigating ask for HTML first; API clients and scripts asking for JSON get the API's 404. */
function wantsPage(req: Request): boolean {
  return req.accepts(["text/html", "application/json"]) === "text/html";
}
