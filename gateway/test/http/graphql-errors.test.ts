import { createServer } from "node:http";
import express from "express";
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import type { RequestContext } from "../../src/graphql/context";
import { OperationGuard } from "../../src/graphql/operation-guard";
import { RateLimiter } from "../../src/graphql/rate-limits";
import { createGraphQLEndpoint } from "../../src/http/graphql-endpoint";
import type { GraphQLBody } from "../support/gateway";

const logger = createLogger({ level: "silent" });

/**
 * The /graphql endpoint alone, over a schema of two fields: what a client sees when something
 * goes wrong, under each NODE_ENV (read by Apollo and Express themselves) and TESSERA_EXPOSE_ERRORS.
 */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: {
      hello: { type: GraphQLString, resolve: () => "world" },
      broken: {
        type: GraphQLString,
        resolve: () => {
          throw new Error(`ENOENT: no such file or directory, open '${process.cwd()}/.tessera/secret'`);
        },
      },
    },
  }),
});

interface Endpoint {
  url: string;
  stop(): Promise<void>;
}

async function startEndpoint(env: Record<string, string>, nodeEnv: string | undefined): Promise<Endpoint> {
  const saved = process.env.NODE_ENV;
  setNodeEnv(nodeEnv);
  try {
    const config = loadConfig(env);
    const app = express();
    const httpServer = createServer(app);
    const endpoint = await createGraphQLEndpoint({
      schema,
      httpServer,
      config,
      logger,
      guard: new OperationGuard(schema, config.graphql, new RateLimiter(config.rateLimits)),
      authenticate: async () => null,
      context: (_viewer, _baseUrl, rateLimitKey) => ({ rateLimitKey }) as RequestContext,
    });
    app.use(endpoint.router);
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    const { port } = httpServer.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}/graphql`,
      async stop() {
        await endpoint.stop();
        await new Promise((resolve) => httpServer.close(resolve));
      },
    };
  } finally {
    setNodeEnv(saved);
  }
}

function setNodeEnv(value: string | undefined): void {
  if (value === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = value;
}

async function post(url: string, body: string | Buffer, contentType = "application/json") {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": contentType, "apollo-require-preflight": "true" },
    body,
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type"), text };
}

const query = (url: string, document: string) => post(url, JSON.stringify({ query: document }));
const parsed = (text: string) => JSON.parse(text) as GraphQLBody<unknown>;

describe("internal details", () => {
  for (const nodeEnv of [undefined, "production", "development"]) {
    describe(`with NODE_ENV ${nodeEnv ?? "unset"} and TESSERA_EXPOSE_ERRORS unset`, () => {
      let endpoint: Endpoint;
      beforeAll(async () => {
        endpoint = await startEndpoint({}, nodeEnv);
      });
      afterAll(() => endpoint?.stop());

      it("masks an unexpected error and sends no stack trace", async () => {
        const answer = await query(endpoint.url, "{ broken }");
        expect(parsed(answer.text).errors).toEqual([
          expect.objectContaining({
            message: "Unexpected error.",
            extensions: { code: "INTERNAL_SERVER_ERROR" },
          }),
        ]);
        expect(answer.text).not.toContain(process.cwd());
      });

      it("sends no stack trace with a client's error either", async () => {
        const answer = await query(endpoint.url, "{ nope }");
        expect(parsed(answer.text).errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
        expect(answer.text).not.toContain("stacktrace");
        expect(answer.text).not.toContain(process.cwd());
      });

      it("answers a body that is not JSON with JSON and no stack trace", async () => {
        const answer = await post(endpoint.url, '{"query": "{ hello }"');
        expect([answer.status, answer.contentType]).toEqual([400, "application/json; charset=utf-8"]);
        expect(answer.text).not.toContain(process.cwd());
      });
    });
  }

  describe("with TESSERA_EXPOSE_ERRORS=true", () => {
    let endpoint: Endpoint;
    beforeAll(async () => {
      endpoint = await startEndpoint({ TESSERA_EXPOSE_ERRORS: "true" }, "production");
    });
    afterAll(() => endpoint?.stop());

    it("shows an unexpected error's message and stack trace, for debugging", async () => {
      const [error] = parsed((await query(endpoint.url, "{ broken }")).text).errors!;
      expect(error!.message).toMatch(/^ENOENT: no such file or directory/);
      expect(error!.extensions).toMatchObject({
        code: "INTERNAL_SERVER_ERROR",
        stacktrace: expect.arrayContaining([expect.stringMatching(/^Error: ENOENT/)]),
      });
    });
  });

  it("are opt-in through TESSERA_EXPOSE_ERRORS alone", () => {
    expect(loadConfig({}).exposeInternalErrors).toBe(false);
    expect(loadConfig({ NODE_ENV: "development" }).exposeInternalErrors).toBe(false);
    expect(loadConfig({ TESSERA_EXPOSE_ERRORS: "false" }).exposeInternalErrors).toBe(false);
    expect(loadConfig({ TESSERA_EXPOSE_ERRORS: "true" }).exposeInternalErrors).toBe(true);
    expect(() => loadConfig({ TESSERA_EXPOSE_ERRORS: "yes" })).toThrow(ConfigError);
  });
});

describe("requests refused before GraphQL runs", () => {
  let endpoint: Endpoint;
  beforeAll(async () => {
    endpoint = await startEndpoint({}, undefined);
  });
  afterAll(() => endpoint?.stop());

  /** A GraphQL-shaped JSON answer with this status, code and message, and the endpoint still answering. */
  async function expectRefused(
    answer: Awaited<ReturnType<typeof post>>,
    status: number,
    code: string,
    message: string | RegExp,
  ) {
    expect([answer.status, answer.contentType], answer.text).toEqual([
      status,
      "application/json; charset=utf-8",
    ]);
    const body = parsed(answer.text);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions?.code).toBe(code);
    expect(body.errors![0]!.message).toMatch(message);
    expect(body).not.toHaveProperty("data");
    expect(parsed((await query(endpoint.url, "{ hello }")).text)).toEqual({ data: { hello: "world" } });
  }

  it("answers a body that is not JSON with 400 BAD_USER_INPUT", async () => {
    const answer = await post(endpoint.url, '{"query": "{ hello }"');
    await expectRefused(answer, 400, "BAD_USER_INPUT", /^The request body is not valid JSON: /);
  });

  it("answers a JSON body over the limit with 413 PAYLOAD_TOO_LARGE naming the limit", async () => {
    const body = JSON.stringify({ query: "{ hello }", variables: { padding: "x".repeat(5 * 1024 * 1024) } });
    await expectRefused(
      await post(endpoint.url, body),
      413,
      "PAYLOAD_TOO_LARGE",
      "The request body is larger than the limit of 5242880 bytes; send files as a multipart upload",
    );
  });

  const boundary = "tessera-boundary";
  const part = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const multipart = (body: string) => post(endpoint.url, body, `multipart/form-data; boundary=${boundary}`);
  const operations = JSON.stringify({ query: "{ hello }" });
  const malformed: Array<[string, string, RegExp]> = [
    [
      "with operations that are not JSON",
      part("operations", "{ hello") + `--${boundary}--\r\n`,
      /^Invalid JSON in the 'operations' multipart field/,
    ],
    [
      "with the map before the operations",
      part("map", "{}") + part("operations", operations) + `--${boundary}--\r\n`,
      /^Misordered multipart fields; 'map' should follow 'operations'/,
    ],
    [
      "with neither operations nor map",
      `--${boundary}--\r\n`,
      /^The multipart request has no "operations" and "map" fields/,
    ],
    [
      // graphql-upload-minimal alone lets busboy's second error crash the process here.
      "with a part header that is not a header",
      part("operations", operations) + `--${boundary}\r\nnot a header\r\n\r\nx\r\n--${boundary}--\r\n`,
      /^The multipart request is malformed: Malformed part header/,
    ],
  ];

  it.each(malformed)(
    "answers a multipart request %s with 400 BAD_USER_INPUT",
    async (_what, body, message) => {
      await expectRefused(await multipart(body), 400, "BAD_USER_INPUT", message);
    },
  );
});
