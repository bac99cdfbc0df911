import type { Request, RequestHandler, Response } from "express";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { traceOperation } from "../tracing/graphql-tracing";

/**
 * Apollo behind express, as @as-integrations/express5's expressMiddleware (same request mapping,
 * same answers) less two costs it adds to every request: express's `res.send`, which hashes each
 * answer (sha1) for an ETag no client can use — every GraphQL answer is `no-store` — and checks
 * freshness against it; and the legacy `url.parse` of the whole URL to find its query string.
 */
export function apolloHandler<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  context: (args: { req: Request; res: Response }) => Promise<TContext>,
): RequestHandler {
  server.assertStarted("apolloHandler()");
  return async (req, res) => {
    if (!("body" in req)) {
      res.status(500).end("`req.body` is not set: a body parser must run before the GraphQL handler.");
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const query = req.url.indexOf("?");
    // A fragment is not part of the query string (clients do not send one; url.parse dropped it).
    const fragment = query < 0 ? -1 : req.url.indexOf("#", query);
    const response = await traceOperation(req.headers, () =>
      server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method.toUpperCase(),
          headers,
          search: query < 0 ? "" : req.url.slice(query, fragment < 0 ? undefined : fragment),
          body: req.body,
        },
        context: () => context({ req, res }),
      }),
    );
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status || 200;
    if (response.body.kind === "complete") {
      res.setHeader("content-length", Buffer.byteLength(response.body.string));
      // Node sends no body for HEAD by itself.
      res.end(response.body.string);
      return;
    }
    // Incremental delivery (@defer): each part as it comes, through compression if one is set up.
    for await (const chunk of response.body.asyncIterator) {
      res.write(chunk);
      const flush = (res as { flush?: () => void }).flush;
      if (typeof flush === "function") flush.call(res);
    }
    res.end();
  };
}
