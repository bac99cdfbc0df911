import { createRequire } from "node:module";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { getDistDirectory, isSandboxFrame, renderAltair, SANDBOX_FRAME_CSP } from "altair-static";

/**
 * The GraphQL IDE is Altair, served entirely from the installed `altair-static` package: Apollo's
 * default landing page loads Apollo Sandbox from a CDN, which a self-hosted install cannot reach.
 *
 * Signing in from the IDE: open "Set Headers" (left bar) and paste an API token after `Bearer `
 * in the prefilled `Authorization` header; for subscriptions, also under "Request Handlers" →
 * connection parameters, which graphql-ws sends in `connection_init`.
 *
 * CSRF: queries go out as `Content-Type: application/json`, which Apollo's CSRF prevention
 * accepts; file uploads are multipart, a "simple" request any site could send, so the IDE also
 * sends `apollo-require-preflight` to be let through.
 */
export interface GraphqlIdeOptions {
  /** Path of the GraphQL endpoint, e.g. `/graphql`; a browser opening it gets the IDE. */
  endpoint: string;
  /** Path or URL of the graphql-ws endpoint; a path is resolved against the page's host. */
  subscriptionEndpoint?: string;
}

const altairVersion = readAltairVersion();

/**
 * Asset URLs carry the Altair version so they can be cached forever: `main.js` and
 * `styles.css` keep their names across releases, and an upgrade must not mix old and new files.
 */
export const graphqlIdeAssetsPath = `/graphql-ide/${altairVersion}/`;

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

const signInHelp = `# Tessera GraphQL API
#
# Sign in: open "Set Headers" in the left bar and paste your API token
# after "Bearer " in the Authorization header, then send the query.
# Subscriptions: paste it too under "Request Handlers" > connection parameters.

query Me {
  me {
    id
    handle
  }
}
`;

export function graphqlIde(options: GraphqlIdeOptions): Router {
  const page = renderIdePage(options);
  const router = express.Router();

  router.get(options.endpoint, (request: Request, response: Response, next: NextFunction) => {
    if (!prefersHtml(request)) return next();
    // The page names versioned assets, so it must be revalidated to pick up an upgrade.
    response.set("Cache-Control", "no-cache").type("html").send(page);
  });

  router.use(
    graphqlIdeAssetsPath,
    express.static(getDistDirectory(), {
      index: false,
      immutable: true,
      maxAge: ONE_YEAR_MS,
      setHeaders: (response, filePath) => {
        // Altair runs pre/post-request scripts in this frame; the CSP keeps them off the IDE's origin.
        if (isSandboxFrame(filePath)) response.setHeader("Content-Security-Policy", SANDBOX_FRAME_CSP);
      },
    }),
  );

  return router;
}

/** API clients send `Accept: application/json` (or nothing, or `*\/*`); browsers rank text/html first. */
function prefersHtml(request: Request): boolean {
  return (
    request.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html"
  );
}

function renderIdePage(options: GraphqlIdeOptions): string {
  return renderAltair({
    baseURL: graphqlIdeAssetsPath,
    initialName: "Tessera",
    endpointURL: options.endpoint,
    initialQuery: signInHelp,
    initialHeaders: { Authorization: "Bearer ", "apollo-require-preflight": "true" },
    ...(options.subscriptionEndpoint === undefined
      ? {}
      : {
          subscriptionsEndpoint: options.subscriptionEndpoint,
          initialSubscriptionRequestHandlerId: "graphql-ws" as const,
          // Browsers cannot set headers on a WebSocket, so the token travels in graphql-ws's connection_init.
          initialSubscriptionsPayload: { Authorization: "Bearer " },
        }),
    initialSettings: {
      "alert.disableUpdateNotification": true,
      "banners.disable": true,
      disablePushNotification: true,
      "schema.reloadOnStart": true,
    },
  });
}

function readAltairVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = require("altair-static/package.json") as { version: string };
  return manifest.version;
}
