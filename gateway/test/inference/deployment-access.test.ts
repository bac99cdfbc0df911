import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectError, uploadModel } from "../registry/operations";
import {
  buildColourClassifier,
  type Classification,
  CLASSIFY,
  classified,
  DEPLOY,
  type Deployment,
  deployReady,
  expectedPredictions,
  expectPredictions,
  IMAGENET,
  solidPng,
  UNDEPLOY,
  UNIT_PREPROCESSING,
  uploadOnnx,
  withImage,
} from "./inference-api";

const STATE = `query ($id: ID!) {
  modelVersion(id: $id) { deployment { state config { preprocessing { colorOrder mean } } } }
}`;
const SET_ALIAS = `mutation ($m: ID!, $v: ID!) { setModelAlias(modelId: $m, alias: "production", versionId: $v) { id } }`;
const REMOVE_ALIAS = `mutation ($m: ID!) { removeModelAlias(modelId: $m, alias: "production") }`;

interface Shown {
  modelVersion: { deployment: { state: string; config: { preprocessing: { colorOrder: string } } } | null };
}

/** What a model serves belongs to its owner (and admins): viewers of a public model only use it. */
describe("deployments of another user's public model", () => {
  let gateway: TestGateway;
  let member: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    member = await gateway.createMember("deploy-member");
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("refuses a member's redeploy with their own config and undeploy; the owner's model serves on", async () => {
    const version = await uploadOnnx(gateway, "public-colours", buildColourClassifier(), { isPublic: true });
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    const red = await solidPng([255, 0, 0]);
    const before = await classified(gateway, version.id, red);
    expectPredictions(before.predictions, expectedPredictions([255, 0, 0]));

    const bgr = { preprocessing: { ...UNIT_PREPROCESSING, colorOrder: "BGR" } };
    expectError(await gateway.gql(DEPLOY, { id: version.id, config: bgr }, member), "FORBIDDEN");
    expectError(await gateway.gql(UNDEPLOY, { id: version.id }, member), "FORBIDDEN");

    const shown = await gateway.gql<Shown>(STATE, { id: version.id }, member);
    expect(shown.data?.modelVersion.deployment).toEqual({
      state: "READY",
      config: { preprocessing: { colorOrder: "RGB", mean: [0, 0, 0] } },
    });
    const listed = await gateway.gql<{ deployments: Array<{ modelVersion: { id: string } }> }>(
      "{ deployments { state modelVersion { id } } }",
      {},
      member,
    );
    expect(listed.data?.deployments.map((d) => d.modelVersion.id)).toContain(version.id);
    // The member may still use it, and gets exactly what the owner configured.
    expectPredictions((await classified(gateway, version.id, red)).predictions, before.predictions);
    expectPredictions(
      (await classifiedAs(gateway, member, version.id, red)).predictions,
      expectedPredictions([255, 0, 0]),
    );
  });

  it("refuses a member's alias moves that a deployment follows", async () => {
    const first = await uploadOnnx(gateway, "aliased-public", buildColourClassifier(), { isPublic: true });
    const second = await uploadOnnx(gateway, "aliased-public", buildColourClassifier());
    await gateway.gql(SET_ALIAS, { m: first.model.id, v: first.id });
    await deployReady(gateway, first.id, { alias: "production", preprocessing: UNIT_PREPROCESSING });

    expectError(await gateway.gql(SET_ALIAS, { m: first.model.id, v: second.id }, member), "FORBIDDEN");
    expectError(await gateway.gql(REMOVE_ALIAS, { m: first.model.id }, member), "FORBIDDEN");
    expectError(
      await gateway.gql(DEPLOY, { id: second.id, config: { alias: "production" } }, member),
      "FORBIDDEN",
    );
    const served = await gateway.prisma.deployment.findMany({
      where: { modelVersion: { modelId: first.model.id } },
      select: { modelVersionId: true, state: true },
    });
    expect(served).toEqual([{ modelVersionId: first.id, state: "READY" }]);
  });

  it("lets a member's first use deploy a public version with the defaults, but not undeploy it", async () => {
    const version = await uploadOnnx(gateway, "first-used", buildColourClassifier(), { isPublic: true });
    const green = await solidPng([30, 220, 40]);
    expectPredictions(
      (await classifiedAs(gateway, member, version.id, green)).predictions,
      expectedPredictions([30, 220, 40], IMAGENET),
    );
    // The member's request created the deployment; that gives them no right over it.
    expect(await gateway.prisma.deployment.count({ where: { modelVersionId: version.id } })).toBe(1);
    expectError(await gateway.gql(UNDEPLOY, { id: version.id }, member), "FORBIDDEN");
    const shown = await gateway.gql<Shown>(STATE, { id: version.id }, member);
    expect(shown.data?.modelVersion.deployment?.state).toBe("READY");
  });

  it("stops serving a member at once when a new upload makes the model private", async () => {
    const version = await uploadOnnx(gateway, "reuploaded-colours", buildColourClassifier(), {
      isPublic: true,
    });
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    const red = await solidPng([255, 0, 0]);
    // Frozen, so only the upload can make the gateway look the target up again.
    vi.useFakeTimers({ toFake: ["performance", "Date"] });
    try {
      await classifiedAs(gateway, member, version.id, red);
      const second = await uploadOnnx(gateway, "reuploaded-colours", buildColourClassifier(), {
        isPublic: false,
      });
      expect(second.model.id).toBe(version.model.id);

      expectError(
        await withImage(gateway, CLASSIFY, { id: version.id }, red, "red.png", member),
        "NOT_FOUND",
      );
      expectPredictions(
        (await classified(gateway, version.id, red)).predictions,
        expectedPredictions([255, 0, 0]),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers NOT_FOUND for a private version of another user", async () => {
    const version = await uploadOnnx(gateway, "private-colours", buildColourClassifier());
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    expectError(await gateway.gql(UNDEPLOY, { id: version.id }, member), "NOT_FOUND");
    expectError(await gateway.gql(DEPLOY, { id: version.id }, member), "NOT_FOUND");
    expect(
      await gateway.prisma.deployment.findUnique({ where: { modelVersionId: version.id } }),
    ).toMatchObject({
      state: "READY",
    });
  });

  it("lets a member deploy and undeploy their own model, and an admin undeploy it", async () => {
    const own = await uploadModel(
      gateway,
      { slug: "member-colours", modelType: "CLASSIFICATION" },
      { "model.onnx": buildColourClassifier() },
      member,
    );
    const config = { preprocessing: { ...UNIT_PREPROCESSING, colorOrder: "BGR" } };
    const deployed = await gateway.gql<{ deployModelVersion: Deployment }>(
      DEPLOY,
      { id: own.id, config },
      member,
    );
    expect(deployed.data?.deployModelVersion.state).toBe("READY");
    expect(await gateway.gql(UNDEPLOY, { id: own.id }, member)).toEqual({
      data: { undeployModelVersion: true },
    });

    const again = await gateway.gql<{ deployModelVersion: Deployment }>(DEPLOY, { id: own.id }, member);
    expect(again.data?.deployModelVersion.state).toBe("READY");
    expect(await gateway.gql(UNDEPLOY, { id: own.id })).toEqual({ data: { undeployModelVersion: true } });
    expect(await gateway.prisma.deployment.count({ where: { modelVersionId: own.id } })).toBe(0);
  });
});

async function classifiedAs(gateway: TestGateway, token: string, id: string, image: Buffer) {
  const body = await withImage<{ classifyImage: Classification }>(
    gateway,
    CLASSIFY,
    { id },
    image,
    "image.png",
    token,
  );
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.classifyImage;
}
