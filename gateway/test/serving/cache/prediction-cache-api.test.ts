import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectKServe, type KServeTestClient } from "../../../../inference/test/helpers/kserve-client";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { expectError } from "../../registry/operations";
import {
  buildColourClassifier,
  deployReady,
  expectedPredictions,
  expectPredictions,
  IMAGENET,
  solidPng,
  UNIT_PREPROCESSING,
  uploadOnnx,
  withImage,
} from "../../inference/inference-api";

const CLASSIFY = `
  mutation ($id: ID!, $image: ImageInput!, $useCache: Boolean) {
    classifyImage(modelVersionId: $id, image: $image, useCache: $useCache) {
      latencyMs servedBy cached predictions { label score index }
    }
  }`;

const STATS = "{ predictionCache { entries bytes maxBytes hits misses evictions } }";

interface Answer {
  latencyMs: number;
  servedBy: string;
  cached: boolean;
  predictions: Array<{ label: string; score: number; index: number }>;
}

/** One gateway, the cache on with its default bound, classifying through its own local tier. */
describe("the prediction cache through GraphQL", () => {
  let gateway: TestGateway;
  let kserve: KServeTestClient | undefined;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    kserve?.close();
    await gateway?.stop();
  });

  async function classify(id: string, image: Buffer, useCache?: boolean): Promise<Answer> {
    const body = await withImage<{ classifyImage: Answer }>(gateway, CLASSIFY, { id, useCache }, image);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!.classifyImage;
  }

  /** Images the tier ran for the model (KServe ModelStatistics), asked of the tier directly. */
  async function tierRuns(tierModelName: string): Promise<number> {
    const answer = await kserve!.call("ModelStatistics", { name: tierModelName, version: "" });
    const stats = answer.model_stats as Array<{ inference_count: number }>;
    return stats.reduce((sum, s) => sum + Number(s.inference_count), 0);
  }

  async function stats() {
    const body = await gateway.gql<{ predictionCache: Record<string, number> }>(STATS);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!.predictionCache;
  }

  it("answers a repeated image from the cache, runs the model for useCache false, and forgets a redeployed model's answers", async () => {
    const version = await uploadOnnx(gateway, "cached-colours", buildColourClassifier());
    const { tierModelName } = await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    const blue = await solidPng([0, 0, 255]);

    const first = await classify(version.id, blue);
    expect(first).toMatchObject({ cached: false, servedBy: expect.stringMatching(/^tier:.+:\d+$/) });
    expectPredictions(first.predictions, expectedPredictions([0, 0, 255]));
    kserve = connectKServe(Number(first.servedBy.split(":").at(-1)));
    expect(await tierRuns(tierModelName)).toBe(1);

    const second = await classify(version.id, blue);
    expect(second).toEqual({ latencyMs: 0, servedBy: "cache", cached: true, predictions: first.predictions });
    expect(await tierRuns(tierModelName)).toBe(1);
    expect(await stats()).toMatchObject({
      entries: 1,
      maxBytes: 64 * 1024 ** 2,
      hits: 1,
      misses: 1,
      evictions: 0,
    });

    const bypassed = await classify(version.id, blue, false);
    expect(bypassed.cached).toBe(false);
    expect(await tierRuns(tierModelName)).toBe(2);
    expect(await stats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });

    await deployReady(gateway, version.id, { preprocessing: IMAGENET });
    expect((await stats()).entries).toBe(0);
    const redeployed = await classify(version.id, blue);
    expect(redeployed.cached).toBe(false);
    expectPredictions(redeployed.predictions, expectedPredictions([0, 0, 255], IMAGENET));
    expect(await tierRuns(tierModelName)).toBe(3);
  });

  it("shows its statistics to admins only", async () => {
    const member = await gateway.createMember("cache-stats-reader");
    expectError(await gateway.gql(STATS, {}, member), "FORBIDDEN");
    expectError(await gateway.gql(STATS, {}, null), "UNAUTHENTICATED");
  });
});
