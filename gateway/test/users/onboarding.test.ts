import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectError, uploadModel } from "../registry/operations";

let gateway: TestGateway;
let alice: string;
let aliceId: string;
let bobId: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  alice = await gateway.createMember("alice");
  await gateway.createMember("bob");
  const rows = await gateway.prisma.user.findMany({ where: { handle: { in: ["alice", "bob"] } } });
  aliceId = rows.find((row) => row.handle === "alice")!.id;
  bobId = rows.find((row) => row.handle === "bob")!.id;
});
afterAll(() => gateway?.stop());

const ME = "{ me { handle } }";
const CREATE_USER = `mutation ($handle: String!, $role: Role) {
  createUser(input: { handle: $handle, role: $role }) { id handle active deactivatedAt }
}`;
const ISSUE_TOKEN = `mutation ($name: String!, $userId: ID) {
  createApiToken(name: $name, userId: $userId) { secret token { id name prefix current } }
}`;
const USERS = `query ($first: Int, $after: String) {
  users(first: $first, after: $after) {
    totalCount
    edges { cursor node { handle active } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const DEACTIVATE = "mutation ($id: ID!) { deactivateUser(id: $id) { handle active deactivatedAt } }";
const REACTIVATE = "mutation ($id: ID!) { reactivateUser(id: $id) { handle active deactivatedAt } }";

interface Issued {
  createApiToken: { secret: string; token: { id: string; name: string; prefix: string; current: boolean } };
}

async function createUser(handle: string, role = "MEMBER"): Promise<string> {
  const body = await gateway.gql<{ createUser: { id: string } }>(CREATE_USER, { handle, role });
  expect(body.errors).toBeUndefined();
  return body.data!.createUser.id;
}

async function issueToken(userId: string | null, token: string | null = gateway.adminToken) {
  return gateway.gql<Issued>(ISSUE_TOKEN, { name: "onboarding", userId }, token);
}

const tokenCount = () => gateway.prisma.apiToken.count();

describe("createApiToken with userId", () => {
  it("lets an admin issue the first token of a user they created, who then signs in with it", async () => {
    const carolId = await createUser("carol");
    const issued = await issueToken(carolId);
    expect(issued.errors).toBeUndefined();
    const { secret, token } = issued.data!.createApiToken;

    expect(await gateway.gql(ME, {}, secret)).toEqual({ data: { me: { handle: "carol" } } });
    const listed = await gateway.gql<{
      me: { apiTokens: Array<{ id: string; prefix: string; current: boolean }> };
    }>("{ me { apiTokens { id prefix current } } }", {}, secret);
    expect(listed.data!.me.apiTokens).toEqual([{ id: token.id, prefix: token.prefix, current: true }]);
  });

  it("lets a member issue a token to themselves by their own id, and refuses another user's id", async () => {
    const own = await issueToken(aliceId, alice);
    expect(await gateway.gql(ME, {}, own.data!.createApiToken.secret)).toEqual({
      data: { me: { handle: "alice" } },
    });

    const before = await tokenCount();
    expectError(
      await issueToken(bobId, alice),
      "FORBIDDEN",
      "Only an admin can issue a token to another user",
    );
    expectError(
      await issueToken("00000000-0000-4000-8000-000000000000", alice),
      "FORBIDDEN",
      "Only an admin can issue a token to another user",
    );
    expect(await tokenCount()).toBe(before);
  });

  it("answers NOT_FOUND for an unknown user and refuses built-in and deactivated users", async () => {
    const before = await tokenCount();
    expectError(await issueToken("00000000-0000-4000-8000-000000000000"), "NOT_FOUND");
    expectError(await issueToken("not-a-uuid"), "NOT_FOUND");

    const system = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: "system" } });
    const refused = await issueToken(system.id);
    expectError(refused, "BAD_USER_INPUT", "system is a built-in account and cannot sign in");
    expect(refused.errors![0]!.extensions!.field).toBe("userId");

    const daveId = await createUser("dave");
    expect((await gateway.gql(DEACTIVATE, { id: daveId })).errors).toBeUndefined();
    expectError(await issueToken(daveId), "CONFLICT", "dave is deactivated");
    expect(await tokenCount()).toBe(before);
  });
});

describe("users", () => {
  it("lists people for admins in creation order, without built-in accounts, in pages", async () => {
    const all = await gateway.gql<{
      users: { totalCount: number; edges: Array<{ node: { handle: string } }> };
    }>(USERS, { first: 100 });
    const handles = all.data!.users.edges.map(({ node }) => node.handle);
    expect(handles.slice(0, 3)).toEqual(["admin", "alice", "bob"]);
    expect(handles).not.toContain("system");
    expect(all.data!.users.totalCount).toBe(handles.length);

    const first = await gateway.gql<{
      users: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(USERS, { first: 2 });
    expect(first.data!.users.pageInfo.hasNextPage).toBe(true);
    const next = await gateway.gql<{ users: { edges: Array<{ node: { handle: string } }> } }>(USERS, {
      first: 2,
      after: first.data!.users.pageInfo.endCursor,
    });
    expect(next.data!.users.edges.map(({ node }) => node.handle)).toEqual(handles.slice(2, 4));
  });

  it("is FORBIDDEN to members and needs a token", async () => {
    expectError(await gateway.gql(USERS, {}, alice), "FORBIDDEN", "Only an admin can list users");
    expectError(await gateway.gql(USERS, {}, null), "UNAUTHENTICATED");
  });
});

describe("deactivateUser and reactivateUser", () => {
  it("refuses the user's tokens on the very next request, keeps what they own, and lets them back in", async () => {
    const erinId = await createUser("erin");
    const erin = (await issueToken(erinId)).data!.createApiToken.secret;
    const model = await uploadModel(
      gateway,
      { slug: "erins-public", isPublic: true },
      { "model.pt": "w" },
      erin,
    );
    // Signed in a moment ago: the gateway remembers that token for a few seconds.
    expect(await gateway.gql(ME, {}, erin)).toEqual({ data: { me: { handle: "erin" } } });

    const deactivated = await gateway.gql<{ deactivateUser: { active: boolean; deactivatedAt: string } }>(
      DEACTIVATE,
      { id: erinId },
    );
    expect(deactivated.data!.deactivateUser).toEqual({
      handle: "erin",
      active: false,
      deactivatedAt: expect.stringMatching(/^\d{4}-/),
    });
    expectError(await gateway.gql(ME, {}, erin), "UNAUTHENTICATED", "The bearer token is invalid or revoked");

    const MODEL = "query ($id: ID) { model(id: $id) { slug owner { handle active } } }";
    expect(await gateway.gql(MODEL, { id: model.model.id }, alice)).toEqual({
      data: { model: { slug: "erins-public", owner: { handle: "erin", active: false } } },
    });
    expect(await gateway.gql(MODEL, { id: model.model.id }, null)).toEqual({
      data: { model: { slug: "erins-public", owner: { handle: "erin", active: false } } },
    });

    expect((await gateway.gql(REACTIVATE, { id: erinId })).data).toEqual({
      reactivateUser: { handle: "erin", active: true, deactivatedAt: null },
    });
    expect(await gateway.gql(ME, {}, erin)).toEqual({ data: { me: { handle: "erin" } } });
  });

  it("is FORBIDDEN to members and changes nothing", async () => {
    expectError(await gateway.gql(DEACTIVATE, { id: bobId }, alice), "FORBIDDEN");
    expectError(await gateway.gql(REACTIVATE, { id: bobId }, alice), "FORBIDDEN");
    expect(await gateway.prisma.user.count({ where: { deactivatedAt: { not: null }, handle: "bob" } })).toBe(
      0,
    );
  });

  it("refuses to deactivate the caller, a built-in account or a user that does not exist", async () => {
    const admin = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: "admin" } });
    const self = await gateway.gql(DEACTIVATE, { id: admin.id });
    expectError(self, "BAD_USER_INPUT", "You cannot deactivate yourself");
    expect(self.errors![0]!.extensions!.field).toBe("id");
    const system = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: "system" } });
    expectError(await gateway.gql(DEACTIVATE, { id: system.id }), "BAD_USER_INPUT", "built-in account");
    expectError(await gateway.gql(DEACTIVATE, { id: "00000000-0000-4000-8000-000000000000" }), "NOT_FOUND");
    expect(await gateway.prisma.user.count({ where: { deactivatedAt: { not: null }, role: "ADMIN" } })).toBe(
      0,
    );
  });

  it("always leaves one active admin, even to an admin whose sign-in another gateway still remembers", async () => {
    const admin = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: "admin" } });
    const frankId = await createUser("frank", "ADMIN");
    expect((await gateway.gql(DEACTIVATE, { id: frankId })).errors).toBeUndefined();
    // Frank was signed in on another replica a moment ago and asks it to deactivate the last admin.
    const stale = { id: frankId, handle: "frank", role: "ADMIN" as const };
    await expect(gateway.running.services.users.deactivateUser(stale, admin.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "admin is the last active admin; make another admin first",
    });
    expect(await gateway.gql(ME)).toEqual({ data: { me: { handle: "admin" } } });
  });
});

describe("createUser bounds", () => {
  it("refuses a display name or e-mail over its limit, naming the field, and creates nobody", async () => {
    const before = await gateway.prisma.user.count();
    const create = (input: Record<string, string>) =>
      gateway.gql(`mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input });
    expectError(
      await create({ handle: "long-name", displayName: "x".repeat(201) }),
      "BAD_USER_INPUT",
      "displayName must be at most 200 characters long, got 201",
    );
    expectError(
      await create({ handle: "long-mail", email: `${"x".repeat(250)}@a.io` }),
      "BAD_USER_INPUT",
      "email must be at most 254 characters long",
    );
    expect(await gateway.prisma.user.count()).toBe(before);
  });
});
