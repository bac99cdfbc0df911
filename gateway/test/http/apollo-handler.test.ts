import { createServer, type Server } from "node:http";
import express from "express";
import { ApolloServer } from "@apollo/server";
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apolloHandler } from "../../src/http/apollo-handler";

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: {
      hello: {
        type: GraphQLString,
        args: { name: { type: GraphQLString } },
        resolve: (_, a) => `hi ${a.name}`,
      },
    },
  }),
});

describe("apolloHandler", () => {
  let server: Server;
  let apollo: ApolloServer;
  let url: string;
  beforeAll(async () => {
    apollo = new ApolloServer({ schema, csrfPrevention: false });
    await apollo.start();
    const app = express();
    app.use(
      "/graphql",
      express.json(),
      apolloHandler(apollo, async () => ({})),
    );
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  });
  afterAll(async () => {
    await apollo.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it("answers a POST with Apollo's body and headers, its length, and no ETag", async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query ($n: String) { hello(name: $n) }", variables: { n: "é" } }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ data: { hello: "hi é" } });
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(response.headers.get("etag")).toBeNull();
  });

  it("reads a GET's query string, and answers Apollo's status for a request error", async () => {
    const ok = await fetch(`${url}?query=${encodeURIComponent('{ hello(name: "a?b") }')}`);
    expect(await ok.json()).toEqual({ data: { hello: "hi a?b" } });
    const missing = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(missing.status).toBe(400);
    expect(missing.headers.get("etag")).toBeNull();
  });
});
