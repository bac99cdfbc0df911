import { auditServer } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type GraphQLBody, type TestGateway } from "../support/gateway";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ env: { TESSERA_GRAPHQL_MAX_COMPLEXITY: "1000" } });
});
afterAll(() => gateway?.stop());

const GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
const LEGACY_JSON = "application/json";

async function post(query: string, accept: string, token: string | null = gateway.adminToken) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  expect(response.headers.get("content-type")).toContain(accept);
  return { status: response.status, body: (await response.json()) as GraphQLBody<unknown> };
}

describe("graphql-http's server audit", () => {
  it("finds no error and no warning against the running gateway", async () => {
    const results = await auditServer({ url: `${gateway.url}/graphql` });
    const problems = results
      .filter((result) => result.status === "error" || result.status === "warn")
      .map(
        (result) =>
          `${result.status} ${result.id} ${result.name}: ${"reason" in result ? result.reason : ""}`,
      );
    expect(problems).toEqual([]);
    expect(results.filter((result) => result.status === "ok").length).toBeGreaterThan(40);
  });
});

describe("HTTP status of a GraphQL answer", () => {
  it("is 4xx for a request error under graphql-response+json, 200 under application/json", async () => {
    for (const [accept, status] of [
      [GRAPHQL_RESPONSE_JSON, 400],
      [LEGACY_JSON, 200],
    ] as const) {
      const { status: answered, body } = await post("{ noSuchField }", accept);
      expect(answered, accept).toBe(status);
      expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(body).not.toHaveProperty("data");
    }
  });

  it("carries the status of a limit's refusal under graphql-response+json (not 500)", async () => {
    const query =
      "{ models(first: 100) { edges { node { id slug name tags versions { id files { path } } } } } }";
    const strict = await post(query, GRAPHQL_RESPONSE_JSON);
    expect(strict.status).toBe(400);
    expect(strict.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await post(query, LEGACY_JSON)).status).toBe(200);
  });

  it("is 200 for an execution result, even when a field failed with its own status", async () => {
    const query = 'mutation { deleteModel(id: "00000000-0000-4000-8000-000000000000") }';
    for (const accept of [GRAPHQL_RESPONSE_JSON, LEGACY_JSON]) {
      const { status, body } = await post(query, accept);
      expect(status, accept).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", http: { status: 404 } });
    }
  });

  it("tells caches not to store an answer, whether it ran or was refused", async () => {
    for (const query of ["{ me { id } }", "{ noSuchField }"]) {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${gateway.adminToken}` },
        body: JSON.stringify({ query }),
      });
      expect(response.headers.get("cache-control"), query).toBe("no-store");
    }
  });

  it("is 401 for a token that is wrong, under either media type", async () => {
    for (const accept of [GRAPHQL_RESPONSE_JSON, LEGACY_JSON]) {
      const { status, body } = await post("{ me { id } }", accept, "tsr_not-a-token");
      expect(status, accept).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });
});
