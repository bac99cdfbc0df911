import type { Server } from "node:http";
import express, { Router, type Request } from "express";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type { GatewayConfig } from "../config";
import { ErrorCode, formatGraphQLError } from "../errors";
import type { Logger } from "../logger";
import type { RequestContext } from "../graphql/context";
import type { OperationGuard } from "../graphql/operation-guard";
import { rateLimitKey } from "../graphql/rate-limits";
import { bearerToken } from "../users/tokens";
import type { Viewer } from "../users/access";
import { graphqlResponseStatus } from "./graphql-response-status";
import { operationGuardPlugin } from "./operation-guard-plugin";
import { apolloHandler } from "./apollo-handler";
import { closeUnreadRequests } from "./close-unread-requests";
import { graphqlErrorHandler } from "./error-handlers";
import { multipartRequests } from "./multipart-request";
import { uncacheableResponses } from "./uncacheable-responses";

export interface GraphQLEndpoint {
  router: Router;
  stop(): Promise<void>;
}

export type ContextFactory = (
  viewer: Viewer | null,
  baseUrl: string,
  rateLimitKey: string,
  signal?: AbortSignal,
) => RequestContext;

/** Resolves the bearer token once per request; a token that is sent but wrong is an error, not anonymity. */
export async function viewerFromHeader(
  authorization: string | undefined,
  authenticate: (token: string) => Promise<Viewer | null>,
): Promise<Viewer | null> {
  const token = bearerToken(authorization);
  if (!token) return null;
  const viewer = await authenticate(token);
  if (!viewer) {
    throw new GraphQLError("The bearer token is invalid or revoked", {
      extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
    });
  }
  return viewer;
}

export async function createGraphQLEndpoint(options: {
  schema: GraphQLSchema;
  httpServer: Server;
  config: GatewayConfig;
  logger: Logger;
  guard: OperationGuard;
  authenticate: (token: string) => Promise<Viewer | null>;
  context: ContextFactory;
  /** More Apollo plugins (metrics). */
  plugins?: ApolloServerPlugin<RequestContext>[];
}): Promise<GraphQLEndpoint> {
  const { schema, config, logger, guard } = options;
  const apollo = new ApolloServer<RequestContext>({
    schema,
    // Multipart uploads are "simple" requests a browser may send cross-site; Apollo's CSRF
    // prevention makes them carry a preflight-forcing header (`apollo-require-preflight`).
    csrfPrevention: true,
    introspection: true,
    // main.ts owns SIGTERM/SIGINT and stops every part in order; Apollo must not race it.
    stopOnTerminationSignals: false,
    // Apollo's default follows NODE_ENV, which `npm start` and docker-compose leave unset: stack
    // traces with absolute paths would go to anonymous clients.
    includeStacktraceInErrorResponses: config.exposeInternalErrors,
    validationRules: guard.validationRules,
    formatError: (formatted, error) =>
      formatGraphQLError(formatted, error, config.exposeInternalErrors, (unexpected) =>
        logger.error({ err: unexpected }, "unexpected GraphQL error"),
      ),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      uncacheableResponses,
      // The NUL-byte check (graphql/string-inputs.ts) runs inside the guard, as over WebSocket.
      operationGuardPlugin(guard),
      graphqlResponseStatus,
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  const router = Router();
  router.use(
    "/graphql",
    closeUnreadRequests(),
    multipartRequests({
      // One byte over the limit so a file of exactly the limit passes; the blob store enforces it.
      maxFileSize: config.limits.maxUploadBytes + 1,
      maxFiles: config.limits.maxFilesPerUpload,
    }),
    express.json({ limit: "5mb" }),
    apolloHandler(apollo, async ({ req, res }) => {
      const viewer = await viewerFromHeader(req.headers.authorization, options.authenticate);
      const abort = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) abort.abort(new Error("client disconnected"));
      });
      const caller = rateLimitKey(viewer, req.ip);
      return options.context(viewer, baseUrlOf(req), caller, abort.signal);
    }),
    graphqlErrorHandler(logger, config.exposeInternalErrors),
  );
  return { router, stop: () => apollo.stop() };
}

export function baseUrlOf(req: Pick<Request, "protocol" | "headers">): string {
  return `${req.protocol}://${req.headers.host ?? "localhost"}`;
}
