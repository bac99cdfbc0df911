import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
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
