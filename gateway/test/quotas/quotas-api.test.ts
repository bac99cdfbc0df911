import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, namedFiles, storedState, UPLOAD_MODEL } from "../registry/operations";
import { postDatasetZip } from "../datasets/uploads/dataset-uploads";
import { startTestGateway, type GraphQLBody, type TestGateway } from "../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../support/texture-dataset";

/** Every member may store 300 bytes unless an admin says otherwise; the rate is per user. */
const STORED_BYTES = 300;

let gateway: TestGateway;
let alice: string;
let bob: string;
let aliceId: string;
let bobId: string;

const USAGE = `usage {
  exempt
  storedBytes { used limit }
  concurrentJobs { used limit }
  expensiveRequests { used limitPerMinute retryAfterSeconds freesAt }
}`;

const SET_QUOTA = `mutation ($userId: ID!, $input: UserQuotaInput!) {
  setUserQuota(userId: $userId, input: $input) {
    userId maxStoredBytes maxConcurrentJobs maxExpensiveRequestsPerMinute updatedAt
    usage { storedBytes { used limit } expensiveRequests { limitPerMinute } }
  }
}`;

type Usage = {
  exempt: boolean;
  storedBytes: { used: number; limit: number | null };
  concurrentJobs: { used: number; limit: number | null };
  expensiveRequests: {
    used: number;
    limitPerMinute: number | null;
    retryAfterSeconds: number | null;
    freesAt: string | null;
  };
};

beforeAll(async () => {
  gateway = await startTestGateway({ env: { TESSERA_QUOTA_STORED_BYTES: String(STORED_BYTES) } });
  alice = await gateway.createMember("alice");
  bob = await gateway.createMember("bob");
  aliceId = (await gateway.gql<{ me: { id: string } }>("{ me { id } }", {}, alice)).data!.me.id;
  bobId = (await gateway.gql<{ me: { id: string } }>("{ me { id } }", {}, bob)).data!.me.id;
});

afterAll(async () => {
  await gateway?.stop();
});

/** `bytes` bytes of `fill`, uploaded as the only file of a new version of `slug`. */
const upload = (token: string, slug: string, bytes: number, fill = "a") =>
  gateway.upload<{ uploadModel: { id: string } }>(
    UPLOAD_MODEL,
    { input: { slug, framework: "OTHER", isPublic: true } },
    namedFiles({ "weights.bin": fill.repeat(bytes) }),
    token,
  );

const usageOf = async (token: string): Promise<Usage> => {
  const body = await gateway.gql<{ me: { usage: Usage } }>(`{ me { ${USAGE} } }`, {}, token);
  expect(body.errors).toBeUndefined();
  return body.data!.me.usage;
};

function expectOk(body: GraphQLBody<unknown>): void {
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
}

describe("stored bytes", () => {
  it("counts each distinct blob once, admits up to the limit exactly and refuses one byte more, storing nothing", async () => {
    expect(await usageOf(alice)).toEqual({
      exempt: false,
      storedBytes: { used: 0, limit: STORED_BYTES },
      concurrentJobs: { used: 0, limit: null },
      expensiveRequests: { used: 0, limitPerMinute: null, retryAfterSeconds: null, freesAt: null },
    });
    expectOk(await upload(alice, "first", 100));
    // The same bytes in a second model: one blob, counted once.
    expectOk(await upload(alice, "second", 100));
    expect((await usageOf(alice)).storedBytes).toEqual({ used: 100, limit: STORED_BYTES });

    const before = await storedState(gateway);
    const refused = await upload(alice, "third", 201, "b");
    expectError(
      refused,
      "QUOTA_EXCEEDED",
      "bring the stored bytes of alice (the owner) to 301 (201 new); their limit is 300",
    );
    expect(refused.errors![0]!.extensions).toMatchObject({ quota: "storedBytes", limit: 300, used: 100 });
    expect(await storedState(gateway)).toEqual(before);

    expectOk(await upload(alice, "third", 200, "b"));
    expect((await usageOf(alice)).storedBytes).toEqual({ used: 300, limit: STORED_BYTES });
  });

  it("refuses a dataset upload over the limit where it commits, leaving no row and no file", async () => {
    const carol = await gateway.createMember("carol");
    const dataset = await generateTextureDataset({ classes: 2, imagesPerClass: 2 });
    const before = { ...(await storedState(gateway)), datasets: await gateway.prisma.dataset.count() };
    const refused = await postDatasetZip(
      gateway,
      { name: "too-big" },
      await zipDatasetFiles(dataset.files),
      carol,
    );
    expectError(refused, "QUOTA_EXCEEDED", "stored bytes of carol (the owner)");
    expect({ ...(await storedState(gateway)), datasets: await gateway.prisma.dataset.count() }).toEqual(
      before,
    );
    expect((await usageOf(carol)).storedBytes).toEqual({ used: 0, limit: STORED_BYTES });
  });

  it("refuses an upload before reading it once the user is at the limit", async () => {
    const before = await storedState(gateway);
    const response = await gateway.postMultipart(
      UPLOAD_MODEL,
      { input: { slug: "fourth", framework: "OTHER" } },
      namedFiles({ "weights.bin": "c" }),
      { token: alice },
    );
    expect(response.status).toBe(403);
    const body = (await response.json()) as GraphQLBody<unknown>;
    expectError(body, "QUOTA_EXCEEDED", "You store 300 bytes; your limit is 300");
    expect(body.errors![0]!.message).toContain("not even of files already stored");
    expect(await storedState(gateway)).toEqual(before);
  });

  it("follows an admin's override, and the default again once it is cleared", async () => {
    const unlimited = await gateway.gql<{ setUserQuota: Record<string, unknown> }>(SET_QUOTA, {
      userId: aliceId,
      input: { maxStoredBytes: 0 },
    });
    expectOk(unlimited);
    expect(unlimited.data!.setUserQuota).toMatchObject({
      userId: aliceId,
      maxStoredBytes: 0,
      maxConcurrentJobs: null,
      maxExpensiveRequestsPerMinute: null,
      usage: { storedBytes: { used: 300, limit: null } },
    });
    expectOk(await upload(alice, "fourth", 1, "c"));
    expect((await usageOf(alice)).storedBytes).toEqual({ used: 301, limit: null });

    const cleared = await gateway.gql<{ setUserQuota: Record<string, unknown> }>(SET_QUOTA, {
      userId: aliceId,
      input: { maxStoredBytes: null },
    });
    expect(cleared.data!.setUserQuota).toMatchObject({ maxStoredBytes: null, updatedAt: null });
    expect(await gateway.prisma.userQuota.count({ where: { userId: aliceId } })).toBe(0);
    expectError(await upload(alice, "fifth", 1, "d"), "QUOTA_EXCEEDED");
  });
});

describe("expensive operations per minute", () => {
  it("admits the limit and refuses the next with RATE_LIMITED and Retry-After, storing nothing", async () => {
    expectOk(await gateway.gql(SET_QUOTA, { userId: bobId, input: { maxExpensiveRequestsPerMinute: 3 } }));
    for (const fill of ["e", "f", "g"]) expectOk(await upload(bob, `rate-${fill}`, 1, fill));
    const before = await storedState(gateway);
    const response = await gateway.postMultipart(
      UPLOAD_MODEL,
      { input: { slug: "rate-h", framework: "OTHER" } },
      namedFiles({ "weights.bin": "h" }),
      { token: bob },
    );
    expect(response.status).toBe(429);
    const body = (await response.json()) as GraphQLBody<unknown>;
    expectError(body, "RATE_LIMITED", "your limit is 3 per minute");
    const extensions = body.errors![0]!.extensions!;
    expect(extensions).toMatchObject({ quota: "expensiveRequestsPerMinute", limit: 3 });
    // Three slots of 20 s each were spent just now: the next one frees within 20 s.
    const retryAfter = extensions.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(response.headers.get("retry-after")).toBe(String(retryAfter));
    expect(await storedState(gateway)).toEqual(before);

    const usage = (await usageOf(bob)).expensiveRequests;
    expect(usage).toMatchObject({ used: 3, limitPerMinute: 3 });
    expect(usage.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(new Date(usage.freesAt!).getTime()).toBeGreaterThan(Date.now());
  });
});

describe("who sees and sets usage", () => {
  it("another member gets FORBIDDEN for someone's usage, admins see everyone's and are exempt", async () => {
    const owner = await gateway.gql(
      `{ model(owner: "alice", slug: "first") { owner { handle ${USAGE} } } }`,
      {},
      bob,
    );
    expect(owner.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const listed = await gateway.gql<{ users: { edges: Array<{ node: { handle: string; usage: Usage } }> } }>(
      `{ users { edges { node { handle ${USAGE} } } } }`,
    );
    expectOk(listed);
    const byHandle = Object.fromEntries(
      listed.data!.users.edges.map(({ node }) => [node.handle, node.usage]),
    );
    expect(byHandle.alice!.storedBytes).toEqual({ used: 301, limit: STORED_BYTES });
    expect(byHandle.bob!.storedBytes).toEqual({ used: 3, limit: STORED_BYTES });
    const admin = await gateway.gql<{ me: { usage: Usage } }>(`{ me { ${USAGE} } }`);
    expect(admin.data!.me.usage).toMatchObject({
      exempt: true,
      storedBytes: { limit: null },
      concurrentJobs: { limit: null },
      expensiveRequests: { limitPerMinute: null },
    });
  });

  it("only admins set quotas; a bad value or an unknown user changes nothing", async () => {
    expectError(
      await gateway.gql(SET_QUOTA, { userId: aliceId, input: { maxStoredBytes: 1 } }, bob),
      "FORBIDDEN",
    );
    expectError(
      await gateway.gql(SET_QUOTA, { userId: aliceId, input: { maxConcurrentJobs: 10_001 } }),
      "BAD_USER_INPUT",
      "maxConcurrentJobs must be an integer from 0 (unlimited) to 10000",
    );
    expectError(
      await gateway.gql(SET_QUOTA, { userId: aliceId, input: { maxStoredBytes: 1.5 } }),
      "BAD_USER_INPUT",
      "maxStoredBytes",
    );
    expectError(
      await gateway.gql(SET_QUOTA, {
        userId: "00000000-0000-4000-8000-000000000000",
        input: { maxStoredBytes: 1 },
      }),
      "NOT_FOUND",
    );
    expect(await gateway.prisma.userQuota.count({ where: { userId: aliceId } })).toBe(0);
  });
});
