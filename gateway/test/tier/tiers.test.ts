import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectKServe, type KServeTestClient } from "../../../inference/test/helpers/kserve-client";
import { startTierProcess, type TierProcess } from "../../../inference/test/helpers/tier-process";
import { rankTiers } from "../../src/tier/placement";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectError } from "../registry/operations";
import {
  buildColourClassifier,
  DEPLOY,
  deployReady,
  solidPng,
  UNIT_PREPROCESSING,
  uploadOnnx,
} from "../inference/inference-api";

const TIERS = `{ tiers {
  address ready lastError answered device executionProviders providerFallbacks serverVersion reportedAt
  load { inFlight queued sentSinceReport estimate }
  models { name version state inFlight queued }
} }`;

interface TierRow {
  address: string;
  ready: boolean;
  lastError: string | null;
  answered: number;
  device: string | null;
  executionProviders: string[];
  providerFallbacks: string[];
  serverVersion: string | null;
  reportedAt: string | null;
  load: { inFlight: number; queued: number; sentSinceReport: number; estimate: number };
  models: Array<{ name: string; version: string; state: string; inFlight: number; queued: number }>;
}

const PLACEMENT = `query ($id: ID!) { modelVersion(id: $id) { deployment { placement { replicas tierCount tiers note } } } }`;

/** Polls until `condition` holds: the gateway hears from tiers on its own schedule (Status, every second). */
async function until<T>(read: () => Promise<T>, condition: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (condition(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One gateway over two real tier processes (INFERENCE_URL=a,b): routing to the tier that holds a
 * model, `replicas` placement, the admin `tiers` query and /healthz per tier, and a tier killed and
 * started again under the gateway.
 */
describe("several tiers behind the gateway", () => {
  const tiers: TierProcess[] = [];
  const kserve: KServeTestClient[] = [];
  let addresses: string[];
  let gateway: TestGateway;

  const tierRows = async () => (await gateway.gql<{ tiers: TierRow[] }>(TIERS)).data!.tiers;
  const servedBy = async (versionId: string, image: Buffer) => {
    const body = await gateway.upload<{ classifyImage: { servedBy: string } }>(
      "mutation ($id: ID!, $image: ImageInput!) { classifyImage(modelVersionId: $id, image: $image) { servedBy } }",
      { id: versionId, image: { upload: null } },
      [{ variable: "image.upload", filename: "image.png", content: image, contentType: "image/png" }],
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!.classifyImage.servedBy;
  };
  const heldBy = async (index: number) =>
    (
      (await kserve[index]!.call("RepositoryIndex", { repository_name: "", ready: true })).models as Array<{
        name: string;
      }>
    ).map((model) => model.name);

  beforeAll(async () => {
    tiers.push(...(await Promise.all([startTierProcess(0), startTierProcess(0)])));
    addresses = tiers.map((tier) => `127.0.0.1:${tier.port}`);
    kserve.push(...tiers.map((tier) => connectKServe(tier.port)));
    gateway = await startTestGateway({
      env: {
        INFERENCE_URL: addresses.join(","),
        TESSERA_INFERENCE_DEADLINE_MS: "10000",
        // Every classify must reach a tier: no answers from the prediction cache.
        TESSERA_PREDICTION_CACHE_BYTES: "0",
      },
    });
    await until(
      tierRows,
      (rows) => rows.every((row) => row.ready && row.reportedAt !== null),
      "tiers reporting",
    );
  });

  afterAll(async () => {
    for (const client of kserve) client.close();
    await gateway?.stop();
    await Promise.all(tiers.map((tier) => tier.stop()));
  });

  it("lists every tier to an admin with what it reported, and refuses anyone else", async () => {
    const rows = await tierRows();
    expect(rows.map((row) => row.address)).toEqual(addresses);
    for (const row of rows) {
      expect(row).toMatchObject({
        ready: true,
        lastError: null,
        device: "cpu",
        executionProviders: ["cpu"],
        providerFallbacks: [],
        serverVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
        load: { inFlight: 0, queued: 0, sentSinceReport: 0, estimate: 0 },
        models: [],
      });
      expect(Date.parse(row.reportedAt!)).not.toBeNaN();
    }
    const member = await gateway.createMember("tier-watcher");
    expectError(
      await gateway.gql(TIERS, {}, member),
      "FORBIDDEN",
      "Only an admin can list the inference tiers",
    );
    expectError(await gateway.gql(TIERS, {}, null), "UNAUTHENTICATED");
  });

  it("reports each tier in /healthz, in configuration order, without what only admins see", async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      checks: { database: "ok", inference: "ok" },
      tiers: addresses.map(() => ({ ready: true, models: 0 })),
    });
  });

  it("loads a `replicas: 1` deployment on the tier rendezvous hashing picks, and routes every call there", async () => {
    const version = await uploadOnnx(gateway, "placed-once", buildColourClassifier());
    await deployReady(gateway, version.id, { replicas: 1, preprocessing: UNIT_PREPROCESSING });
    const [chosen, passedOver] = rankTiers("admin.placed-once", addresses) as [string, string];
    const placement = await gateway.gql(PLACEMENT, { id: version.id });
    expect(placement.data).toEqual({
      modelVersion: { deployment: { placement: { replicas: 1, tierCount: 1, tiers: [chosen], note: null } } },
    });
    expect(await heldBy(addresses.indexOf(chosen))).toContain("admin.placed-once");
    expect(await heldBy(addresses.indexOf(passedOver))).not.toContain("admin.placed-once");

    const red = await solidPng([255, 0, 0]);
    for (let i = 0; i < 4; i++) expect(await servedBy(version.id, red)).toBe(`tier:${chosen}`);
    const rows = await until(
      tierRows,
      (now) =>
        now.some((row) =>
          row.models.some((model) => model.name === "admin.placed-once" && model.state === "ready"),
        ),
      "the chosen tier reporting the model",
    );
    expect(rows.map((row) => row.models.map((model) => [model.name, model.version, model.state]))).toEqual(
      addresses.map((address) => (address === chosen ? [["admin.placed-once", "1", "ready"]] : [])),
    );
  });

  it("puts a deployment asking for more replicas than there are tiers on all of them, and says so", async () => {
    const version = await uploadOnnx(gateway, "placed-everywhere", buildColourClassifier());
    await deployReady(gateway, version.id, { replicas: 3, preprocessing: UNIT_PREPROCESSING });
    const placement = await gateway.gql(PLACEMENT, { id: version.id });
    expect(placement.data).toEqual({
      modelVersion: {
        deployment: {
          placement: {
            replicas: 3,
            tierCount: 2,
            tiers: rankTiers("admin.placed-everywhere", addresses),
            note: "replicas 3 asks for more tiers than the 2 configured (INFERENCE_URL); the deployment is on all of them",
          },
        },
      },
    });
    for (const index of [0, 1]) expect(await heldBy(index)).toContain("admin.placed-everywhere");
    // Members who can see the model see how many tiers serve it, not the tiers' addresses.
    const modelId = (await gateway.prisma.modelVersion.findUniqueOrThrow({ where: { id: version.id } }))
      .modelId;
    await gateway.gql("mutation ($id: ID!) { updateModel(id: $id, patch: { isPublic: true }) { id } }", {
      id: modelId,
    });
    const member = await gateway.createMember("placement-viewer");
    expect((await gateway.gql(PLACEMENT, { id: version.id }, member)).data).toEqual({
      modelVersion: {
        deployment: { placement: { replicas: 3, tierCount: 2, tiers: null, note: expect.any(String) } },
      },
    });
  });

  it("refuses replicas outside 1 to 64 without deploying anything", async () => {
    const version = await uploadOnnx(gateway, "badly-placed", buildColourClassifier());
    const before = await gateway.prisma.deployment.count();
    for (const replicas of [0, 65]) {
      expectError(
        await gateway.gql(DEPLOY, { id: version.id, config: { replicas } }),
        "BAD_USER_INPUT",
        `replicas must be between 1 and 64, got ${replicas}`,
      );
    }
    expect(await gateway.prisma.deployment.count()).toBe(before);
    for (const index of [0, 1]) expect(await heldBy(index)).not.toContain("admin.badly-placed");
  });

  it("sends calls to the other tier when one is killed, moves placed deployments there, and back when it returns", async () => {
    const everywhere = await uploadOnnx(gateway, "on-every-tier", buildColourClassifier());
    await deployReady(gateway, everywhere.id, { preprocessing: UNIT_PREPROCESSING });
    const placedId = (
      await gateway.prisma.modelVersion.findFirstOrThrow({ where: { model: { slug: "placed-once" } } })
    ).id;
    const [chosen, other] = rankTiers("admin.placed-once", addresses) as [string, string];
    const killedIndex = addresses.indexOf(chosen);
    const port = tiers[killedIndex]!.port;
    await tiers[killedIndex]!.stop("SIGKILL");

    const green = await solidPng([0, 255, 0]);
    expect(await servedBy(everywhere.id, green)).toBe(`tier:${other}`);
    expect(await servedBy(placedId, green)).toBe(`tier:${other}`);
    const placement = await gateway.gql(PLACEMENT, { id: placedId });
    expect(placement.data).toEqual({
      modelVersion: { deployment: { placement: { replicas: 1, tierCount: 1, tiers: [other], note: null } } },
    });
    const health = await fetch(`${gateway.url}/healthz`);
    expect(health.status).toBe(200);
    const { tiers: listed } = (await health.json()) as { tiers: Array<{ ready: boolean }> };
    expect(listed.map((tier) => tier.ready)).toEqual(addresses.map((address) => address !== chosen));

    tiers[killedIndex] = await startTierProcess(port);
    kserve[killedIndex]!.close();
    kserve[killedIndex] = connectKServe(port);
    // Back on the tier it ranks first, and gone from the one that stood in.
    await until(
      async () => [await heldBy(killedIndex), await heldBy(addresses.indexOf(other))],
      ([back, standIn]) => back!.includes("admin.placed-once") && !standIn!.includes("admin.placed-once"),
      "the placed deployment moving back",
    );
    expect(await heldBy(killedIndex)).toContain("admin.on-every-tier");
    await until(tierRows, (rows) => rows.every((row) => row.ready), "both tiers ready");
    expect(await servedBy(placedId, green)).toBe(`tier:${chosen}`);
  });
});
