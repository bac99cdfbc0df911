import { createRequire } from "node:module";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { getDistDirectory, isSandboxFrame, renderAltair, SANDBOX_FRAME_CSP } from "altair-static";

/**
 * The GraphQL IDE is Altair, served entirely from the installed `altair-static` package: Apollo's
 * default landing page loads Apollo Sandbox from a CDN, which a self-hosted install cannot reach.
 *
 * Signing in: the dashboard is served from the same origin, so the page reads the token the
 * dashboard keeps in localStorage and presets `Authorization: Bearer <token>` in Altair's headers
 * and in the connection parameters graphql-ws sends in `connection_init`. The token never
 * appears in the page or a URL. Without one, paste a token after `Bearer ` under "Set Headers".
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

/** Where the dashboard keeps the signed-in token (TOKEN_KEY in web/src/session/token-store.ts). */
const DASHBOARD_TOKEN_KEY = "tessera.apiToken";

/**
 * Stands in for the `Authorization` value in Altair's options; rendered as a string literal, it
 * is then swapped for the value the page works out when it loads.
 */
const SIGNED_IN_PLACEHOLDER = "tessera:signed-in-authorization";

/** Runs in the page before Altair starts; storage may be unavailable (a sandboxed or private tab). */
const readSignedInAuthorization = `const signedInAuthorization = (() => {
      try {
        const token = localStorage.getItem(${JSON.stringify(DASHBOARD_TOKEN_KEY)});
        return token ? \`Bearer \${token}\` : "Bearer ";
      } catch {
        return "Bearer ";
      }
    })();
    `;

const signInHelp = `# Tessera GraphQL API
#
# Signed in to the dashboard in this browser? Your token is already set.
# Otherwise open "Set Headers" in the left bar and paste an API token after
# "Bearer " in the Authorization header (for subscriptions, also under
# "Request Handlers" > connection parameters), then send the query.

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
  const page = renderAltair({
    baseURL: graphqlIdeAssetsPath,
    initialName: "Tessera",
    endpointURL: options.endpoint,
    initialQuery: signInHelp,
    initialHeaders: { Authorization: SIGNED_IN_PLACEHOLDER, "apollo-require-preflight": "true" },
    ...(options.subscriptionEndpoint === undefined
      ? {}
      : {
          subscriptionsEndpoint: options.subscriptionEndpoint,
          initialSubscriptionRequestHandlerId: "graphql-ws" as const,
          // Browsers cannot set headers on a WebSocket, so the token travels in graphql-ws's connection_init.
          initialSubscriptionsPayload: { Authorization: SIGNED_IN_PLACEHOLDER },
        }),
    // Altair restores its saved windows (their headers included) over these options: every load
    // starts from the dashboard's current sign-in instead, so a stale or another user's token is
    // never sent after signing out or in again.
    preserveState: false,
    initialSettings: {
      "alert.disableUpdateNotification": true,
      "banners.disable": true,
      disablePushNotification: true,
      "schema.reloadOnStart": true,
    },
  });
  const placeholder = `\`${SIGNED_IN_PLACEHOLDER}\``;
  if (!page.includes(placeholder) || !page.includes("AltairGraphQL.init(")) {
    // An upgrade of altair-static that renders its options differently must not ship a page
    // that signs in as "tessera:signed-in-authorization".
    throw new Error("altair-static rendered the IDE page in an unexpected form; see graphql-ide.ts");
  }
  return page
    .replaceAll(placeholder, "signedInAuthorization")
    .replace("AltairGraphQL.init(", `${readSignedInAuthorization}AltairGraphQL.init(`);
}

function readAltairVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = require("altair-static/package.json") as { version: string };
  return manifest.version;
}
