import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type GraphQLBody, type TestGateway } from "../support/gateway";
import {
  expectError,
  namedFiles,
  sha256Of,
  storedState,
  UPLOAD_MODEL,
  uploadModel,
} from "../registry/operations";

let gateway: TestGateway;
let alice: string;
let bob: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  alice = await gateway.createMember("alice");
  bob = await gateway.createMember("bob");
});
afterAll(() => gateway?.stop());

const ME = "{ me { handle role } }";
const CREATE_USER = `mutation ($input: CreateUserInput!) {
  createUser(input: $input) { handle displayName email role }
}`;
const CREATE_TOKEN = `mutation ($name: String!) {
  createApiToken(name: $name) { secret token { id name prefix revokedAt } }
}`;
const REVOKE_TOKEN = "mutation ($id: ID!) { revokeApiToken(id: $id) }";

describe("signing in", () => {
  it("answers `me` with null and refuses mutations without a token", async () => {
    expect(await gateway.gql(ME, {}, null)).toEqual({ data: { me: null } });

    expectError(await gateway.gql(CREATE_TOKEN, { name: "x" }, null), "UNAUTHENTICATED", "Bearer");
    expectError(await gateway.gql(CREATE_USER, { input: { handle: "eve" } }, null), "UNAUTHENTICATED");
    const before = await storedState(gateway);
    const upload = await gateway.upload(
      UPLOAD_MODEL,
      { input: { slug: "anonymous" } },
      namedFiles({ "model.pt": "weights" }),
      null,
    );
    expectError(upload, "UNAUTHENTICATED");
    expect(await storedState(gateway)).toEqual(before);
  });

  it("refuses a token that does not exist with UNAUTHENTICATED and HTTP 401", async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer tsr_not-a-real-token" },
      body: JSON.stringify({ query: ME }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as GraphQLBody<unknown>;
    expectError(body, "UNAUTHENTICATED", "The bearer token is invalid or revoked");
  });

  it("knows who a token belongs to", async () => {
    expect(await gateway.gql(ME)).toEqual({ data: { me: { handle: "admin", role: "ADMIN" } } });
    expect(await gateway.gql(ME, {}, alice)).toEqual({ data: { me: { handle: "alice", role: "MEMBER" } } });
  });
});

describe("createUser", () => {
  it("lets an admin create members and admins", async () => {
    const member = await gateway.gql(CREATE_USER, {
      input: { handle: "carol", displayName: " Carol C ", email: "carol@example.com" },
    });
    expect(member).toEqual({
      data: {
        createUser: { handle: "carol", displayName: "Carol C", email: "carol@example.com", role: "MEMBER" },
      },
    });
    const admin = await gateway.gql(CREATE_USER, { input: { handle: "dana", role: "ADMIN" } });
    expect(admin).toEqual({
      data: { createUser: { handle: "dana", displayName: null, email: null, role: "ADMIN" } },
    });
  });

  it("is FORBIDDEN to members", async () => {
    const body = await gateway.gql(CREATE_USER, { input: { handle: "mallory" } }, alice);
    expectError(body, "FORBIDDEN", "Only an admin can create users");
    expect(await gateway.prisma.user.count({ where: { handle: "mallory" } })).toBe(0);
  });

  it("refuses a handle that is taken (in any case) or reserved with CONFLICT", async () => {
    expectError(
      await gateway.gql(CREATE_USER, { input: { handle: "alice" } }),
      "CONFLICT",
      'A user with handle "alice" already exists',
    );
    expectError(await gateway.gql(CREATE_USER, { input: { handle: "Alice" } }), "CONFLICT");
    expectError(await gateway.gql(CREATE_USER, { input: { handle: "system" } }), "CONFLICT", "reserved");
  });

  it("refuses an invalid handle with BAD_USER_INPUT", async () => {
    for (const handle of ["", "no spaces", "-dash-first", "ümlaut", "a".repeat(40), "under_score"]) {
      const body = await gateway.gql(CREATE_USER, { input: { handle } });
      expectError(body, "BAD_USER_INPUT", `Handle "${handle}" is invalid`);
      expect(body.errors![0]!.extensions!.field).toBe("handle");
    }
  });
});

describe("API tokens", () => {
  it("shows a new token's secret once, and the secret signs in", async () => {
    const created = await gateway.gql<{
      createApiToken: {
        secret: string;
        token: { id: string; name: string; prefix: string; revokedAt: null };
      };
    }>(CREATE_TOKEN, { name: " laptop " }, alice);
    const { secret, token } = created.data!.createApiToken;
    // tsr_<public id>_<secret>: the secret is base64url, so it may hold `_` and `-` itself.
    const [, publicId, secretPart] = /^tsr_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(secret)!;
    expect(token).toEqual({ id: token.id, name: "laptop", prefix: `tsr_${publicId}`, revokedAt: null });

    expect(await gateway.gql(ME, {}, secret)).toEqual({ data: { me: { handle: "alice", role: "MEMBER" } } });
    const listed = await gateway.gql<{ me: { apiTokens: Array<{ name: string; prefix: string }> } }>(
      "{ me { apiTokens { name prefix } } }",
      {},
      secret,
    );
    expect(listed.data!.me.apiTokens).toContainEqual({ name: "laptop", prefix: `tsr_${publicId}` });
    const stored = await gateway.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(stored).toMatchObject({ publicId, secretHash: sha256Of(secretPart!), tokenHash: null });
    expect(JSON.stringify(stored)).not.toContain(secretPart!.slice(0, 8));
  });

  it("refuses a token whose public id is right but whose secret is not", async () => {
    const created = await gateway.gql<{ createApiToken: { secret: string } }>(
      CREATE_TOKEN,
      { name: "x" },
      alice,
    );
    const { secret } = created.data!.createApiToken;
    const publicPart = secret.slice(0, "tsr_".length + 13);
    for (const forged of [`${publicPart}${"A".repeat(43)}`, publicPart, `${secret}x`, secret.slice(0, -1)]) {
      expectError(await gateway.gql(ME, {}, forged), "UNAUTHENTICATED");
    }
    expect(await gateway.gql(ME, {}, secret)).toEqual({ data: { me: { handle: "alice", role: "MEMBER" } } });
  });

  it("still signs in a token of the old format (tsr_ + 43 characters), shown by a public id only", async () => {
    const user = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: "bob" } });
    // As the migration leaves a token issued before the format changed: its whole hash, a new id.
    // This one even looks like tsr_<public id>_<secret>, with an id no token has.
    const legacy = `tsr_abcdefghijkl_${"Xy-_".repeat(7)}Zz`;
    const row = await gateway.prisma.apiToken.create({
      data: { userId: user.id, name: "old laptop", publicId: "0123456789ab", tokenHash: sha256Of(legacy) },
    });
    expect(await gateway.gql(ME, {}, legacy)).toEqual({ data: { me: { handle: "bob", role: "MEMBER" } } });
    const listed = await gateway.gql<{
      me: { apiTokens: Array<{ id: string; prefix: string; current: boolean }> };
    }>("{ me { apiTokens { id prefix current } } }", {}, legacy);
    expect(listed.data!.me.apiTokens).toContainEqual({
      id: row.id,
      prefix: "tsr_0123456789ab",
      current: true,
    });
  });

  it("refuses a token name that is blank or too long", async () => {
    expectError(await gateway.gql(CREATE_TOKEN, { name: "   " }, alice), "BAD_USER_INPUT");
    expectError(await gateway.gql(CREATE_TOKEN, { name: "n".repeat(101) }, alice), "BAD_USER_INPUT");
  });

  it("stops a revoked token from working", async () => {
    const created = await gateway.gql<{ createApiToken: { secret: string; token: { id: string } } }>(
      CREATE_TOKEN,
      { name: "ci" },
      alice,
    );
    const { secret, token } = created.data!.createApiToken;

    expectError(await gateway.gql(REVOKE_TOKEN, { id: token.id }, bob), "NOT_FOUND");
    expect(await gateway.gql(ME, {}, secret)).toEqual({ data: { me: { handle: "alice", role: "MEMBER" } } });

    expect(await gateway.gql(REVOKE_TOKEN, { id: token.id }, secret)).toEqual({
      data: { revokeApiToken: true },
    });
    expectError(await gateway.gql(ME, {}, secret), "UNAUTHENTICATED");
    // Revoking again is harmless; the other tokens of the user still work.
    expect(await gateway.gql(REVOKE_TOKEN, { id: token.id }, alice)).toEqual({
      data: { revokeApiToken: true },
    });
    expect(await gateway.gql(ME, {}, alice)).toEqual({ data: { me: { handle: "alice", role: "MEMBER" } } });
  });

  it("answers NOT_FOUND for a token id that names nothing", async () => {
    expectError(await gateway.gql(REVOKE_TOKEN, { id: "not-a-uuid" }, alice), "NOT_FOUND");
    expectError(
      await gateway.gql(REVOKE_TOKEN, { id: "00000000-0000-4000-8000-000000000000" }, alice),
      "NOT_FOUND",
    );
  });
});

describe("who sees and changes models", () => {
  let privateModel: { id: string; versionId: string };
  let publicModel: { id: string; versionId: string };

  beforeAll(async () => {
    const hidden = await uploadModel(
      gateway,
      { slug: "secret-model" },
      { "model.pt": "alice private" },
      alice,
    );
    const shared = await uploadModel(
      gateway,
      { slug: "shared-model", isPublic: true },
      { "model.pt": "alice public" },
      alice,
    );
    privateModel = { id: hidden.model.id, versionId: hidden.id };
    publicModel = { id: shared.model.id, versionId: shared.id };
  });

  const MODEL = `query ($owner: String, $slug: String, $id: ID) {
    model(owner: $owner, slug: $slug, id: $id) { slug isPublic owner { handle email } }
  }`;
  /** Members' models the viewer can list; the `system` user's built-in models are public to all. */
  const visibleSlugs = async (token: string | null) => {
    const body = await gateway.gql<{
      models: { edges: Array<{ node: { slug: string; owner: { handle: string } } }> };
    }>("{ models(first: 100, orderBy: NAME_ASC) { edges { node { slug owner { handle } } } } }", {}, token);
    return body
      .data!.models.edges.filter(({ node }) => node.owner.handle !== "system")
      .map(({ node }) => node.slug);
  };

  it("hides another member's private model as if it did not exist", async () => {
    expect(await gateway.gql(MODEL, { owner: "alice", slug: "secret-model" }, bob)).toEqual({
      data: { model: null },
    });
    expect(await gateway.gql(MODEL, { id: privateModel.id }, bob)).toEqual({ data: { model: null } });
    expect(await gateway.gql(MODEL, { owner: "alice", slug: "no-such-model" }, bob)).toEqual({
      data: { model: null },
    });
    expect(
      await gateway.gql(
        "query ($id: ID!) { modelVersion(id: $id) { id } }",
        { id: privateModel.versionId },
        bob,
      ),
    ).toEqual({ data: { modelVersion: null } });
    expect(await visibleSlugs(bob)).toEqual(["shared-model"]);
    expect(await visibleSlugs(null)).toEqual(["shared-model"]);

    const update = await gateway.gql(
      'mutation ($id: ID!) { updateModel(id: $id, patch: { name: "mine" }) { id } }',
      { id: privateModel.id },
      bob,
    );
    expectError(update, "NOT_FOUND", `Model ${privateModel.id} not found`);
    expectError(
      await gateway.gql(
        "mutation ($id: ID!) { deleteModelVersion(id: $id) }",
        { id: privateModel.versionId },
        bob,
      ),
      "NOT_FOUND",
    );
    expect(await gateway.prisma.model.count({ where: { id: privateModel.id } })).toBe(1);
  });

  it("shows another member's public model, without its owner's email", async () => {
    expect(await gateway.gql(MODEL, { owner: "alice", slug: "shared-model" }, bob)).toEqual({
      data: { model: { slug: "shared-model", isPublic: true, owner: { handle: "alice", email: null } } },
    });
  });

  it("refuses changes to another member's public model with FORBIDDEN", async () => {
    const update = await gateway.gql(
      'mutation ($id: ID!) { updateModel(id: $id, patch: { name: "taken over" }) { name } }',
      { id: publicModel.id },
      bob,
    );
    expectError(update, "FORBIDDEN", "belongs to another user");
    const alias = await gateway.gql(
      'mutation ($m: ID!, $v: ID!) { setModelAlias(modelId: $m, alias: "production", versionId: $v) { id } }',
      { m: publicModel.id, v: publicModel.versionId },
      bob,
    );
    expectError(alias, "FORBIDDEN");
    expectError(
      await gateway.gql("mutation ($id: ID!) { deleteModel(id: $id) }", { id: publicModel.id }, bob),
      "FORBIDDEN",
    );
    const stored = await gateway.prisma.model.findUniqueOrThrow({ where: { id: publicModel.id } });
    expect(stored.name).toBe("shared-model");
  });

  it("lets an admin see and change every model", async () => {
    expect(await visibleSlugs(gateway.adminToken)).toEqual(["secret-model", "shared-model"]);
    expect(await gateway.gql(MODEL, { owner: "alice", slug: "secret-model" })).toEqual({
      data: { model: { slug: "secret-model", isPublic: false, owner: { handle: "alice", email: null } } },
    });
    const update = await gateway.gql(
      'mutation ($id: ID!) { updateModel(id: $id, patch: { description: "checked by admin" }) { description } }',
      { id: privateModel.id },
    );
    expect(update).toEqual({ data: { updateModel: { description: "checked by admin" } } });
  });
});
