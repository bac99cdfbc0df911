import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlIde, graphqlIdeAssetsPath } from "../../src/http/graphql-ide";

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

let server: Server;
let origin: string;

beforeAll(async () => {
  const app = express();
  app.use(graphqlIde({ endpoint: "/graphql", subscriptionEndpoint: "/graphql" }));
  // Stands in for Apollo: whatever the IDE router passes on must reach the GraphQL handler.
  app.get("/graphql", (_request, response) => {
    response.json({ data: { answeredBy: "graphql" } });
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function fetchPage(): Promise<string> {
  const response = await fetch(`${origin}/graphql`, { headers: { Accept: browserAccept } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(response.headers.get("cache-control")).toBe("no-cache");
  return response.text();
}

/** Every URL the page loads by itself: scripts, stylesheets, module preloads, the icon. */
function referencedAssets(html: string): { kind: "script" | "stylesheet"; url: string }[] {
  const assets: { kind: "script" | "stylesheet"; url: string }[] = [];
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const src = /\bsrc="([^"]+)"/i.exec(tag)?.[1];
    if (src !== undefined) assets.push({ kind: "script", url: src });
    const rel = /\brel="([^"]+)"/i.exec(tag)?.[1];
    const href = /\bhref="([^"]+)"/i.exec(tag)?.[1];
    if (href === undefined) continue;
    if (rel === "stylesheet") assets.push({ kind: "stylesheet", url: href });
    if (rel === "modulepreload") assets.push({ kind: "script", url: href });
  }
  return assets;
}

function baseHref(html: string): string {
  const href = /<base href="([^"]+)"/.exec(html)?.[1];
  if (href === undefined) throw new Error("expected a <base href> in the IDE page, found none");
  return href;
}

describe("GraphQL IDE page", () => {
  it("shows the IDE to a browser at the GraphQL endpoint, configured for it", async () => {
    const html = await fetchPage();

    expect(html).toContain("<app-root>");
    expect(html).toContain("AltairGraphQL.init(");
    expect(html).toContain("endpointURL: `/graphql`");
    expect(html).toContain("subscriptionsEndpoint: `/graphql`");
    expect(html).toContain("initialSubscriptionRequestHandlerId: `graphql-ws`");
    expect(baseHref(html)).toBe(graphqlIdeAssetsPath);
  });

  it("presets the dashboard's signed-in token in the headers and the subscription payload, read in the browser", async () => {
    const html = await fetchPage();

    expect(html).toContain('localStorage.getItem("tessera.apiToken")');
    expect(html.match(/Authorization: signedInAuthorization/g)).toHaveLength(2);
    expect(html).not.toContain("tessera:signed-in-authorization");
    // Altair's saved windows would otherwise bring back the token of an earlier sign-in.
    expect(html).toContain("preserveState: false");
  });

  it("leaves API clients to the GraphQL handler", async () => {
    for (const accept of [undefined, "*/*", "application/json", "application/graphql-response+json"]) {
      const response = await fetch(`${origin}/graphql`, {
        headers: accept === undefined ? {} : { Accept: accept },
      });
      expect(await response.json(), `Accept: ${accept ?? "(none)"}`).toEqual({
        data: { answeredBy: "graphql" },
      });
    }
  });

  it("serves every script and stylesheet the page references from the gateway itself", async () => {
    const html = await fetchPage();
    const base = new URL(baseHref(html), origin);
    const assets = referencedAssets(html);

    expect(assets.filter((asset) => asset.kind === "script").length).toBeGreaterThan(1);
    expect(assets.filter((asset) => asset.kind === "stylesheet").length).toBeGreaterThan(0);
    for (const asset of assets) {
      const url = new URL(asset.url, base);
      expect(url.origin, `${asset.url} must not load from another host`).toBe(origin);
      const response = await fetch(url);
      expect(response.status, url.pathname).toBe(200);
      const expectedType = asset.kind === "script" ? /^(text|application)\/javascript/ : /^text\/css/;
      expect(response.headers.get("content-type"), url.pathname).toMatch(expectedType);
      expect(response.headers.get("cache-control"), url.pathname).toBe("public, max-age=31536000, immutable");
      await response.arrayBuffer();
    }
  });

  it("confines Altair's script sandbox frame with its CSP", async () => {
    const response = await fetch(new URL(`${graphqlIdeAssetsPath}iframe-sandbox/index.html`, origin));

    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe("sandbox allow-scripts");
    await response.arrayBuffer();
  });

  it("answers 404 for a file the IDE does not have", async () => {
    const response = await fetch(new URL(`${graphqlIdeAssetsPath}no-such-file.js`, origin));

    expect(response.status).toBe(404);
    await response.arrayBuffer();
  });
});
