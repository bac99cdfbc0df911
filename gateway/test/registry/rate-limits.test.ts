import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestGateway, type GraphQLBody, type TestGateway } from "../support/gateway";
import { wsOperation } from "../support/websocket";
import { expectError, namedFiles, storedState, UPLOAD_MODEL } from "./operations";

/** One token a minute: a bucket spent in a test stays spent until the test is over. */
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    env: {
      TESSERA_RATE_LIMIT_INFERENCE: "1",
      TESSERA_RATE_LIMIT_INFERENCE_BURST: "3",
      TESSERA_RATE_LIMIT_UPLOADS: "1",
      TESSERA_RATE_LIMIT_UPLOADS_BURST: "1",
      TESSERA_RATE_LIMIT_TRAINING_STARTS: "1",
      TESSERA_RATE_LIMIT_TRAINING_STARTS_BURST: "2",
    },
  });
});
afterAll(() => gateway?.stop());
afterEach(() => {
  vi.restoreAllMocks();
});

const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";
const CLASSIFY = `classifyImage(modelVersionId: "${NO_SUCH_ID}", image: { sampleId: "${NO_SUCH_ID}" }) { modelVersionId }`;
const classifications = (count: number) =>
  `mutation { ${Array.from({ length: count }, (_, i) => `c${i}: ${CLASSIFY}`).join(" ")} }`;

/** Counts classifications that run; stands in for the tier so aliased fields all complete. */
const countClassifications = () =>
  vi
    .spyOn(gateway.running.services.inference, "classify")
    .mockImplementation(async (_viewer, modelVersionId) => ({
      modelVersionId,
      latencyMs: 0,
      predictions: [],
      predictionId: null,
      adjustedPredictions: null,
      servedBy: "tier",
      cached: false,
      degraded: false,
      members: null,
    }));

async function post(query: string, token: string | null, accept?: string) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(accept ? { accept } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return { response, body: (await response.json()) as GraphQLBody<unknown> };
}

function expectRateLimited(body: GraphQLBody<unknown>, work: string): number {
  expectError(body, "RATE_LIMITED", `Too many ${work}; try again in`);
  expect(body.data).toBeUndefined();
  const retryAfter = body.errors![0]!.extensions!.retryAfterSeconds as number;
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `${retryAfter}`).toBe(true);
  return retryAfter;
}

describe("inference rate limit per user", () => {
  it("spends one token per aliased field, then answers 429 RATE_LIMITED with Retry-After and runs nothing", async () => {
    const token = await gateway.createMember("ada");
    const classify = countClassifications();

    // Three aliased classifications spend the whole burst of three.
    const first = await post(classifications(3), token);
    expect(first.response.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(classify).toHaveBeenCalledTimes(3);

    for (const accept of ["application/json", "application/graphql-response+json"]) {
      const { response, body } = await post(classifications(1), token, accept);
      expect(response.status, accept).toBe(429);
      const retryAfter = expectRateLimited(body, "inference calls");
      expect(response.headers.get("retry-after")).toBe(String(retryAfter));
    }
    expect(classify).toHaveBeenCalledTimes(3);
  });

  it("refuses the same over WebSocket, from the same bucket", async () => {
    const token = await gateway.createMember("bea");
    const classify = countClassifications();
    await wsOperation(gateway, classifications(3), {}, token);
    expect(classify).toHaveBeenCalledTimes(3);

    expectRateLimited(await wsOperation(gateway, classifications(1), {}, token), "inference calls");
    expect(classify).toHaveBeenCalledTimes(3);
  });

  it("refuses an operation needing more than the bucket ever holds with BAD_USER_INPUT", async () => {
    const token = await gateway.createMember("cai");
    const classify = countClassifications();
    const { response, body } = await post(classifications(4), token, "application/graphql-response+json");
    expect(response.status).toBe(400);
    expectError(
      body,
      "BAD_USER_INPUT",
      "The operation makes 4 inference calls; at most 3 are allowed at once",
    );
    expect(classify).not.toHaveBeenCalled();
  });

  it("keeps a bucket per user, and one per address for anonymous callers", async () => {
    const classify = countClassifications();
    const spent = await gateway.createMember("dan");
    expect((await post(classifications(3), spent)).response.status).toBe(200);
    expect((await post(classifications(1), spent)).response.status).toBe(429);

    expect((await post(classifications(1), await gateway.createMember("eve"))).response.status).toBe(200);

    expect((await post(classifications(3), null)).response.status).toBe(200);
    expectRateLimited((await post(classifications(1), null)).body, "inference calls");
    expect(classify).toHaveBeenCalledTimes(3 + 1 + 3);
  });

  it("charges every token of a user to the same bucket: a freshly minted token gets nothing new", async () => {
    const classify = countClassifications();
    const first = await gateway.createMember("hal");
    expect((await post(classifications(3), first)).response.status).toBe(200);

    const minted = await gateway.gql<{ createApiToken: { secret: string } }>(
      'mutation { createApiToken(name: "second") { secret } }',
      {},
      first,
    );
    const second = minted.data!.createApiToken.secret;
    const { response, body } = await post(classifications(1), second);
    expect(response.status).toBe(429);
    expectRateLimited(body, "inference calls");
    expect(classify).toHaveBeenCalledTimes(3);
  });
});

describe("upload rate limit", () => {
  it("answers 429 to an upload past the limit and stores nothing", async () => {
    const token = await gateway.createMember("fay");
    const upload = (slug: string) =>
      gateway.postMultipart(UPLOAD_MODEL, { input: { slug } }, namedFiles({ "model.pt": slug }), { token });
    const first = await upload("first");
    expect(((await first.json()) as GraphQLBody<unknown>).errors).toBeUndefined();

    const before = await storedState(gateway);
    const second = await upload("second");
    expect(second.status).toBe(429);
    const retryAfter = expectRateLimited((await second.json()) as GraphQLBody<unknown>, "uploads");
    expect(second.headers.get("retry-after")).toBe(String(retryAfter));
    expect(await storedState(gateway)).toEqual(before);
  });

  it("spends one token per aliased upload field, so one operation cannot carry more uploads than the burst", async () => {
    const token = await gateway.createMember("ida");
    const twoUploads = `mutation ($a: [Upload!]!, $b: [Upload!]!) {
      a: uploadModel(input: { slug: "a" }, files: $a) { id }
      b: uploadModel(input: { slug: "b" }, files: $b) { id }
    }`;
    const files = ["a", "b"].map((name) => ({
      variable: `${name}.0`,
      filename: "model.pt",
      content: Buffer.from(name),
    }));
    const before = await storedState(gateway);
    const response = await gateway.postMultipart(twoUploads, { a: [null], b: [null] }, files, { token });
    expectError(
      (await response.json()) as GraphQLBody<unknown>,
      "BAD_USER_INPUT",
      "The operation makes 2 uploads; at most 1 are allowed at once",
    );
    expect(await storedState(gateway)).toEqual(before);
  });
});

describe("training start rate limit", () => {
  it("answers 429 to a training start past the limit and queues nothing", async () => {
    const token = await gateway.createMember("gus");
    // Stands in for the queue: each call is one job that would be queued.
    const start = vi
      .spyOn(gateway.running.services.training, "startTraining")
      .mockImplementation(async () => ({ id: NO_SUCH_ID }) as never);
    const starts = (count: number) =>
      `mutation { ${Array.from({ length: count }, (_, i) => `s${i}: startTraining(input: { datasetVersionId: "${NO_SUCH_ID}", baseModelVersionId: "${NO_SUCH_ID}", targetModelSlug: "t" }) { id }`).join(" ")} }`;

    expect((await post(starts(2), token)).body.errors).toBeUndefined();
    const { response, body } = await post(starts(1), token);
    expect(response.status).toBe(429);
    expectRateLimited(body, "training starts");
    expect(start).toHaveBeenCalledTimes(2);
  });
});
