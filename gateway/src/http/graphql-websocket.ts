import type { Server } from "node:http";
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { OperationGuard } from "../graphql/operation-guard";
import { rateLimitKey } from "../graphql/rate-limits";
import type { Viewer } from "../users/access";
import { viewerFromHeader, type ContextFactory } from "./graphql-endpoint";

export interface GraphQLWebSocket {
  stop(): Promise<void>;
}

/**
 * graphql-ws on `path`: subscriptions, and queries or mutations a client sends this way. Every
 * operation passes the same guard as over HTTP before it runs; errors leave with the same codes
 * and masking (`formatError`).
 */
export function createGraphQLWebSocket(options: {
  schema: GraphQLSchema;
  httpServer: Server;
  path: string;
  guard: OperationGuard;
  authenticate: (token: string) => Promise<Viewer | null>;
  context: ContextFactory;
  formatError: (error: GraphQLError) => GraphQLFormattedError;
}): GraphQLWebSocket {
  const { schema, guard, formatError } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path });
  const ws = useServer(
    {
      schema,
      onSubscribe: async (ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const invalid = validate(schema, document, [...specifiedRules, ...guard.validationRules]);
        if (invalid.length > 0) return invalid;

        // Browsers cannot set headers on a WebSocket, so the token travels in connection_init.
        const params = ctx.connectionParams ?? {};
        const authorization = (params.authorization ?? params.Authorization) as string | undefined;
        let viewer: Viewer | null;
        try {
          viewer = await viewerFromHeader(authorization, options.authenticate);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const request = ctx.extra.request;
        const caller = rateLimitKey(viewer, request.socket.remoteAddress);
        const refused = await guard.check({
          document,
          operationName: payload.operationName,
          variables: payload.variables,
          rateLimitKey: caller,
          viewer,
        });
        if (refused) return [new GraphQLError(refused.message, { originalError: refused })];
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: options.context(viewer, `http://${request.headers.host ?? "localhost"}`, caller),
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map(formatError) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map(formatError),
    },
    wsServer,
  );
  return { stop: async () => ws.dispose() };
}
