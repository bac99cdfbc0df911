import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, UNLIMITED_RATES, type TestGateway } from "../../support/gateway";
import { expectError } from "../../registry/operations";
import {
  buildColourClassifier,
  deployReady,
  solidPng,
  UNIT_PREPROCESSING,
  uploadOnnx,
  withImage,
} from "../../inference/inference-api";
import { FakeRemote, json } from "./fake-remote";

const SECRET = "s3cret-e2e-token";
const REGISTER = `
  mutation ($input: RegisterRemoteModelInput!) {
    registerRemoteModel(input: $input) {
      id version labels
      remote { url remoteModel timeoutMs rateLimit { perMinute perHour } hasSecret circuit retryAfter }
    }
  }`;
const REMOTE_OF = "query ($id: ID!) { modelVersion(id: $id) { id remote { url hasSecret } } }";
const CLASSIFY = `
  mutation ($id: ID!, $image: ImageInput!) {
    classifyImage(modelVersionId: $id, image: $image, useCache: false) {
      servedBy degraded predictions { label score index }
      members { modelVersionId role servedBy error { code } predictions { label score } }
    }
  }`;
const CREATE_ENSEMBLE = `
  mutation ($input: CreateEnsembleInput!) { createEnsemble(input: $input) { id } }`;

interface Registered {
  id: string;
  version: string;
  labels: string[];
  remote: Record<string, unknown>;
}
interface Answer {
  servedBy: string;
  degraded: boolean;
  predictions: Array<{ label: string; score: number; index: number }>;
  members: Array<{
    modelVersionId: string;
    role: string;
    servedBy: string;
    error: { code: string } | null;
    predictions: Array<{ label: string; score: number }>;
  }> | null;
}

/**
 * One gateway whose HF_ENDPOINT is on loopback — the operator's consent to internal addresses,
 * as for URL imports — and a fake endpoint on loopback.
 */
describe("remote models through GraphQL", () => {
  let gateway: TestGateway;
  let remote: FakeRemote;
  let registered: Registered;

  beforeAll(async () => {
    remote = await FakeRemote.start();
    gateway = await startTestGateway({ env: { HF_ENDPOINT: "http://127.0.0.1:9", ...UNLIMITED_RATES } });
  });
  afterAll(async () => {
    await gateway?.stop();
    await remote?.stop();
  });

  const input = (patch: Record<string, unknown> = {}) => ({
    slug: "colours-online",
    url: remote.url,
    secret: SECRET,
    remoteModel: "colours-xl",
    labels: ["red", "green", "blue"],
    timeoutMs: 2_000,
    rateLimit: { perMinute: 600 },
    ...patch,
  });

  async function classify(id: string, colour: readonly [number, number, number]): Promise<Answer> {
    const body = await withImage<{ classifyImage: Answer }>(
      gateway,
      CLASSIFY,
      { id },
      await solidPng(colour),
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!.classifyImage;
  }

  it("registers an endpoint, keeps its secret sealed and never returns it", async () => {
    const body = await gateway.gql<{ registerRemoteModel: Registered }>(REGISTER, { input: input() });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    registered = body.data!.registerRemoteModel;
    expect(registered).toMatchObject({
      version: "v1",
      labels: ["red", "green", "blue"],
      remote: {
        url: remote.url,
        remoteModel: "colours-xl",
        timeoutMs: 2_000,
        rateLimit: { perMinute: 600, perHour: null },
        hasSecret: true,
        circuit: "CLOSED",
        retryAfter: null,
      },
    });
    expect(JSON.stringify(body)).not.toContain(SECRET);
    const row = await gateway.prisma.remoteEndpoint.findUniqueOrThrow({
      where: { modelVersionId: registered.id },
    });
    expect(Buffer.from(row.secretCiphertext!).includes(Buffer.from(SECRET))).toBe(false);
    const model = await gateway.prisma.modelVersion.findUniqueOrThrow({
      where: { id: registered.id },
      select: { model: { select: { framework: true, modelType: true } } },
    });
    expect(model.model).toEqual({ framework: "REMOTE", modelType: "CLASSIFICATION" });
  });

  it("refuses bad input and stores nothing", async () => {
    const before = await gateway.rowCounts();
    const endpoints = await gateway.prisma.remoteEndpoint.count();
    for (const [patch, field] of [
      [{ url: "ftp://example.com" }, "url"],
      [{ labels: ["red", "red"] }, "labels[1]"],
      [{ timeoutMs: 5 }, "timeoutMs"],
      [{ rateLimit: { perHour: 0 } }, "rateLimit.perHour"],
    ] as const) {
      const body = await gateway.gql(REGISTER, { input: input({ slug: "refused", ...patch }) });
      expectError(body, "BAD_USER_INPUT");
      expect(body.errors![0]!.extensions!.field).toBe(field);
    }
    expect(await gateway.rowCounts()).toEqual(before);
    expect(await gateway.prisma.remoteEndpoint.count()).toBe(endpoints);
  });

  it("classifies through the endpoint: labels aligned, the secret sent as a bearer token", async () => {
    await deployReady(gateway, registered.id);
    remote.answer([
      json({
        predictions: [
          { label: "blue", score: 0.7 },
          { label: "red", score: 0.2 },
        ],
      }),
    ]);
    const before = remote.calls.length;
    const answer = await classify(registered.id, [0, 0, 255]);
    expect(answer.servedBy).toBe(`remote:${remote.host}`);
    expect(answer.predictions).toEqual([
      { label: "blue", score: 0.7, index: 2 },
      { label: "red", score: 0.2, index: 0 },
      { label: "green", score: 0, index: 1 },
    ]);
    expect(remote.calls.length - before).toBe(1);
    expect(remote.calls[before]!.authorization).toBe(`Bearer ${SECRET}`);
    expect(remote.calls[before]!.body).toMatchObject({ model: "colours-xl", top_k: 3 });
  });

  it("shows the endpoint to its owner and admins only", async () => {
    const bob = await gateway.createMember("bob-remote");
    const made = await gateway.gql(
      "mutation ($id: ID!) { updateModel(id: $id, patch: { isPublic: true }) { id } }",
      { id: (await gateway.prisma.modelVersion.findUniqueOrThrow({ where: { id: registered.id } })).modelId },
    );
    expect(made.errors).toBeUndefined();
    const asBob = await gateway.gql<{ modelVersion: { remote: unknown } }>(
      REMOTE_OF,
      { id: registered.id },
      bob,
    );
    expect(asBob.data!.modelVersion).toEqual({ id: registered.id, remote: null });
    const asAdmin = await gateway.gql<{ modelVersion: { remote: unknown } }>(REMOTE_OF, {
      id: registered.id,
    });
    expect(asAdmin.data!.modelVersion.remote).toEqual({ url: remote.url, hasSecret: true });
  });

  it("as ensemble members rate-limited by a 429, the ONNX fallback answers and says so", async () => {
    // Another model: two versions of one model are not served at once.
    const second = await gateway.gql<{ registerRemoteModel: Registered }>(REGISTER, {
      input: input({ slug: "colours-online-b", secret: null }),
    });
    expect(second.errors, JSON.stringify(second.errors)).toBeUndefined();
    const remoteIds = [registered.id, second.data!.registerRemoteModel.id];
    const onnx = await uploadOnnx(gateway, "colours-offline", buildColourClassifier());
    await deployReady(gateway, onnx.id, { preprocessing: UNIT_PREPROCESSING });
    const created = await gateway.gql<{ createEnsemble: { id: string } }>(CREATE_ENSEMBLE, {
      input: {
        slug: "colours-with-fallback",
        members: remoteIds.map((modelVersionId) => ({ modelVersionId })),
        blend: "AVERAGE",
        fallback: [{ modelVersionId: onnx.id }],
      },
    });
    expect(created.errors, JSON.stringify(created.errors)).toBeUndefined();
    const ensembleId = created.data!.createEnsemble.id;
    await deployReady(gateway, ensembleId);

    remote.answer([], json({ error: "quota" }, 429, { "retry-after": "600" }));
    const before = remote.calls.length;
    const first = await classify(ensembleId, [255, 0, 0]);
    expect(remote.calls.length - before, JSON.stringify(first.members)).toBe(2);
    const fallback = first.members!.find((m) => m.role === "FALLBACK")!;
    expect(first.servedBy).toBe("ensemble");
    expect(first.degraded).toBe(true);
    expect(fallback.servedBy).toMatch(/^tier:/);
    expect(fallback.error).toBeNull();
    expect(first.predictions[0]!.label).toBe("red");
    expect(first.predictions.map((p) => p.score)).toEqual(fallback.predictions.map((p) => p.score));
    for (const id of remoteIds) {
      expect(first.members!.find((m) => m.modelVersionId === id)).toMatchObject({
        role: "MEMBER",
        error: { code: "RATE_LIMITED" },
      });
    }

    // Until Retry-After has passed the endpoint is not called at all; the fallback still answers.
    const again = await classify(ensembleId, [255, 0, 0]);
    expect(remote.calls.length - before).toBe(2);
    expect(again.members!.find((m) => m.role === "FALLBACK")!.servedBy).toMatch(/^tier:/);
    const state = await gateway.gql<{ modelVersion: { remote: { retryAfter: string | null } } }>(
      "query ($id: ID!) { modelVersion(id: $id) { remote { retryAfter } } }",
      { id: registered.id },
    );
    expect(Date.parse(state.data!.modelVersion.remote.retryAfter!)).toBeGreaterThan(Date.now() + 500_000);
  });
});
