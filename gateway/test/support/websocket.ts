import { createClient } from "graphql-ws";
import WebSocket from "ws";
import type { GraphQLBody, GraphQLErrorBody, TestGateway } from "./gateway";

/**
 * One query or mutation over graphql-ws, as a browser's subscription client sends it: the answer
 * as one body, an operation the server refuses before running it (graphql-ws's `error` message)
 * as `errors` without `data`. `token` defaults to the admin's, null sends none.
 */
export async function wsOperation<T = Record<string, unknown>>(
  gateway: TestGateway,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = gateway.adminToken,
): Promise<GraphQLBody<T>> {
  const client = createClient({
    url: `${gateway.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  try {
    return await new Promise<GraphQLBody<T>>((resolve, reject) => {
      let body: GraphQLBody<T> = {};
      client.subscribe<T>(
        { query, variables },
        {
          next: (result) => {
            body = result as GraphQLBody<T>;
          },
          error: (error) => {
            if (Array.isArray(error)) resolve({ errors: error as GraphQLErrorBody[] });
            else reject(error instanceof Error ? error : new Error(`the socket failed: ${String(error)}`));
          },
          complete: () => resolve(body),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
