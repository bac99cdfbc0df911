import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from "graphql";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { wsOperation } from "../support/websocket";
import { expectError, namedFiles, storedState, UPLOAD_MODEL, uploadModel } from "./operations";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    env: { TESSERA_GRAPHQL_MAX_DEPTH: "8", TESSERA_GRAPHQL_MAX_COMPLEXITY: "1000" },
  });
  await uploadModel(gateway, { slug: "deep" }, { "model.pt": "weights" });
});
afterAll(() => gateway?.stop());

/** `models → edges → node`, then `versions → model` pairs, then `id`: 3 + 2 × pairs + 1 levels. */
const nested = (pairs: number) =>
  `{ models(filter: { owner: "admin" }) { edges { node { ${"versions { model { ".repeat(pairs)}id${" } }".repeat(pairs)} } } } }`;

describe("query depth limit", () => {
  it("runs a query nested exactly as deep as the limit", async () => {
    const body = await gateway.gql(nested(2));
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      models: { edges: [{ node: { versions: [{ model: { versions: [{}] } }] } }] },
    });
  });

  it("refuses a deeper query with BAD_USER_INPUT before running it", async () => {
    const body = await gateway.gql(nested(3));
    expectError(body, "BAD_USER_INPUT", "Query is nested more than 8 levels deep; the limit is 8");
    expect(body.data).toBeUndefined();
  });

  it("follows fragments when measuring depth", async () => {
    const query = `
      fragment Deeper on Model { versions { model { versions { model { id } } } } }
      { models { edges { node { versions { model { ...Deeper } } } } } }`;
    expectError(await gateway.gql(query), "BAD_USER_INPUT", "the limit is 8");
  });
});

describe("query cost limit", () => {
  it("refuses a query whose pages multiply past the limit", async () => {
    const query =
      "{ models(first: 100) { edges { node { id slug name tags versions { id files { path } } } } } }";
    expectError(await gateway.gql(query), "BAD_USER_INPUT", /^Query cost \d+ exceeds the limit of 1000/);
  });
});

describe("introspection", () => {
  const expectFullSchema = (body: { data?: unknown; errors?: unknown }) => {
    expect(body.errors).toBeUndefined();
    const schema = buildClientSchema(body.data as IntrospectionQuery);
    expect(schema.getType("TrainingJob")).toBeDefined();
  };

  it("answers graphql-js's standard introspection query over HTTP, nested past the depth limit", async () => {
    expectFullSchema(await gateway.gql(getIntrospectionQuery({ descriptions: true }), {}, null));
  });

  it("answers it over WebSocket", async () => {
    expectFullSchema(await wsOperation(gateway, getIntrospectionQuery({ descriptions: true }), {}, null));
  });

  it("still bounds how deep introspection nests", async () => {
    const query = `{ __type(name: "Model") { ${"ofType { ".repeat(30)}name${" }".repeat(30)} } }`;
    for (const body of [await gateway.gql(query), await wsOperation(gateway, query)]) {
      expectError(
        body,
        "BAD_USER_INPUT",
        "Introspection is nested more than 20 levels deep; the limit is 20",
      );
      expect(body.data).toBeUndefined();
    }
  });
});

describe("the WebSocket endpoint", () => {
  it("refuses a query deeper than the limit, as HTTP does", async () => {
    const body = await wsOperation(gateway, nested(30));
    expectError(body, "BAD_USER_INPUT", "Query is nested more than 8 levels deep; the limit is 8");
    expect(body.data).toBeUndefined();
  });

  it("refuses a query costlier than the limit, as HTTP does", async () => {
    const query =
      "{ models(first: 100) { edges { node { id slug name tags versions { id files { path } } } } } }";
    expectError(
      await wsOperation(gateway, query),
      "BAD_USER_INPUT",
      /^Query cost \d+ exceeds the limit of 1000/,
    );
  });

  it("refuses a NUL byte in a variable, as HTTP does, naming the field", async () => {
    const body = await wsOperation(gateway, "query ($q: String) { models(search: $q) { totalCount } }", {
      q: "a\u0000b",
    });
    expectError(body, "BAD_USER_INPUT", 'Variable "$q" contains a NUL byte');
    expect(body.errors![0]!.extensions).toMatchObject({ field: "$q" });
  });

  it("runs what passes the limits", async () => {
    expect(await wsOperation(gateway, nested(2))).toMatchObject({
      data: { models: { edges: [{ node: { versions: [{ model: { versions: [{}] } }] } }] } },
    });
  });
});

describe("aliased root fields", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const aliased = (count: number, field: string) =>
    `mutation { ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(" ")} }`;

  it("refuses 1,000 aliased classifyImage before any of them runs", async () => {
    const classify = vi.spyOn(gateway.running.services.inference, "classify");
    const query = aliased(
      1000,
      'classifyImage(modelVersionId: "00000000-0000-4000-8000-000000000000", image: { sampleId: "00000000-0000-4000-8000-000000000000" }) { modelVersionId }',
    );
    for (const body of [await gateway.gql(query), await wsOperation(gateway, query)]) {
      expectError(
        body,
        "BAD_USER_INPUT",
        "The mutation has 1000 root fields (aliases counted); the limit is 20",
      );
      expect(body.data).toBeUndefined();
    }
    expect(classify).not.toHaveBeenCalled();
  });

  it("refuses 500 aliased createApiToken and creates no token", async () => {
    const before = await gateway.prisma.apiToken.count();
    const body = await gateway.gql(aliased(500, 'createApiToken(name: "flood") { secret }'));
    expectError(
      body,
      "BAD_USER_INPUT",
      "The mutation has 500 root fields (aliases counted); the limit is 20",
    );
    expect(await gateway.prisma.apiToken.count()).toBe(before);
  });

  it("counts root fields reached through fragments", async () => {
    const before = await gateway.prisma.apiToken.count();
    const tokens = Array.from(
      { length: 7 },
      (_, i) => `t${i}: createApiToken(name: "via fragment") { secret }`,
    );
    const query = `
      fragment Tokens on Mutation { ${tokens.join(" ")} }
      mutation { ...Tokens ... on Mutation { ${tokens.map((t) => t.replace(/^t/, "u")).join(" ")} }
        ${tokens.map((t) => t.replace(/^t/, "v")).join(" ")} }`;
    expectError(await gateway.gql(query), "BAD_USER_INPUT", "The mutation has 21 root fields");
    expect(await gateway.prisma.apiToken.count()).toBe(before);
  });

  it("runs a mutation with as many root fields as the limit", async () => {
    const before = await gateway.prisma.apiToken.count();
    const body = await gateway.gql(aliased(20, 'createApiToken(name: "twenty") { secret }'));
    expect(body.errors).toBeUndefined();
    expect(await gateway.prisma.apiToken.count()).toBe(before + 20);
  });

  it("caps the tier-bound root fields of a query too", async () => {
    const query = `{ ${Array.from({ length: 21 }, (_, i) => `s${i}: similarSamples(sampleId: "00000000-0000-4000-8000-000000000000", k: 1) { distance }`).join(" ")} }`;
    expectError(await gateway.gql(query), "BAD_USER_INPUT", "The query has 21 tier-bound root fields");
  });
});

describe("variables that do not fit their types", () => {
  it("answer BAD_USER_INPUT naming the value, not an internal error from the cost estimate", async () => {
    const query = "query($filter: ModelFilter) { models(filter: $filter) { totalCount } }";
    const body = await gateway.gql(query, { filter: { framework: ["TENSORFLOW_LITE_MICRO"] } });
    expectError(body, "BAD_USER_INPUT", /Value "TENSORFLOW_LITE_MICRO" does not exist in "Framework" enum/);
  });
});

describe("CSRF prevention", () => {
  it("refuses a multipart upload without a preflight-forcing header and stores nothing", async () => {
    const before = await storedState(gateway);
    const response = await gateway.postMultipart(
      UPLOAD_MODEL,
      { input: { slug: "cross-site" } },
      namedFiles({ "model.pt": "sent by another site" }),
      { preflight: false },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
    expect(await storedState(gateway)).toEqual(before);
    expect(await gateway.gql(`{ model(slug: "cross-site") { id } }`)).toEqual({ data: { model: null } });
  });

  it("accepts the same upload with the header", async () => {
    const response = await gateway.postMultipart(
      UPLOAD_MODEL,
      { input: { slug: "same-site" } },
      namedFiles({ "model.pt": "sent by our own client" }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { uploadModel: { version: string } } };
    expect(body.data.uploadModel.version).toBe("v1");
  });

  it("refuses a text/plain POST, which a browser sends cross-site without a preflight", async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${gateway.adminToken}` },
      body: JSON.stringify({ query: 'mutation { deleteModel(id: "00000000-0000-4000-8000-000000000000") }' }),
    });
    expect(response.status).toBe(400);
    await response.arrayBuffer();
  });
});
