import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectKServe, type KServeTestClient } from "../../../inference/test/helpers/kserve-client";
import { float32s, rawFloat32 } from "../../../inference/test/helpers/model-loads";
import { startTierProcess, type TierProcess } from "../../../inference/test/helpers/tier-process";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectError } from "../registry/operations";
import {
  buildColourClassifier,
  classified,
  classify,
  deployReady,
  DEPLOYMENT_FIELDS,
  type Deployment,
  expectedScores,
  solidPng,
  UNIT_PREPROCESSING,
  uploadOnnx,
} from "./inference-api";

const DEADLINE_MS = 1_500;

/**
 * The gateway pointed at a tier process of the test's own (INFERENCE_URL), so a KServe v2 client
 * can call the same tier directly, and the tier can be stopped and started again under the gateway.
 */
describe("the tier behind the gateway", () => {
  let tier: TierProcess;
  let gateway: TestGateway;
  let kserve: KServeTestClient;

  beforeAll(async () => {
    tier = await startTierProcess();
    gateway = await startTestGateway({
      env: {
        INFERENCE_URL: `127.0.0.1:${tier.port}`,
        TESSERA_INFERENCE_DEADLINE_MS: String(DEADLINE_MS),
        // The outage test asks the tier again for an image it answered: not the prediction cache.
        TESSERA_PREDICTION_CACHE_BYTES: "0",
      },
    });
    kserve = connectKServe(tier.port);
  });

  afterAll(async () => {
    kserve?.close();
    await gateway?.stop();
    await tier?.stop();
  });

  it("serves a deployment to a KServe v2 client with the same probabilities as classifyImage", async () => {
    const version = await uploadOnnx(gateway, "kserve-colours", buildColourClassifier());
    const { tierModelName, tierModelVersion } = await deployReady(gateway, version.id, {
      preprocessing: UNIT_PREPROCESSING,
    });
    const colour = [40, 180, 90] as const;
    const viaGraphql = await classified(gateway, version.id, await solidPng(colour));

    expect(await kserve.call("ModelMetadata", { name: tierModelName, version: tierModelVersion })).toEqual({
      name: "admin.kserve-colours",
      versions: ["1"],
      platform: "onnxruntime_onnx",
      inputs: [{ name: "image", datatype: "FP32", shape: [-1, 3, 8, 8] }],
      outputs: [{ name: "scores", datatype: "FP32", shape: [-1, 3] }],
    });
    // The tensor the gateway's preprocessing makes of the solid colour: level / 255 per channel.
    const tensor = colour.flatMap((level) => Array<number>(64).fill(level / 255));
    const answer = await kserve.call("ModelInfer", {
      model_name: tierModelName,
      model_version: tierModelVersion,
      inputs: [{ name: "image", datatype: "FP32", shape: [1, 3, 8, 8] }],
      raw_input_contents: [rawFloat32(tensor)],
    });
    expect(answer.outputs).toEqual([
      expect.objectContaining({ name: "scores", datatype: "FP32", shape: [1, 3] }),
    ]);
    const scores = float32s(answer.raw_output_contents[0]);
    viaGraphql.predictions.forEach((p) => expect(scores[p.index]).toBeCloseTo(p.score, 6));
    scores.forEach((score, i) => expect(score).toBeCloseTo(expectedScores(colour)[i]!, 6));
  });

  it("moves a deployment that follows an alias when the alias moves", async () => {
    const first = await uploadOnnx(gateway, "aliased", buildColourClassifier());
    const second = await uploadOnnx(gateway, "aliased", buildColourClassifier());
    const modelId = (
      await gateway.gql<{ modelVersion: { model: { id: string } } }>(
        "query ($id: ID!) { modelVersion(id: $id) { model { id } } }",
        { id: first.id },
      )
    ).data!.modelVersion.model.id;
    const setAlias =
      'mutation ($m: ID!, $v: ID!) { setModelAlias(modelId: $m, alias: "production", versionId: $v) { id } }';
    await gateway.gql(setAlias, { m: modelId, v: first.id });
    const deployed = await deployReady(gateway, first.id, {
      alias: "production",
      preprocessing: UNIT_PREPROCESSING,
    });
    expect(deployed.modelVersion).toEqual({ id: first.id, version: "v1" });

    await gateway.gql(setAlias, { m: modelId, v: second.id });
    const listed = await gateway.gql<{ deployments: Deployment[] }>(
      `{ deployments { ${DEPLOYMENT_FIELDS} } }`,
    );
    const following = listed.data!.deployments.filter((d) => d.tierModelName === "admin.aliased");
    expect(following.map((d) => [d.modelVersion.version, d.state, d.tierModelVersion])).toEqual([
      ["v2", "READY", "2"],
    ]);
    expect(await kserve.call("ModelReady", { name: "admin.aliased", version: "2" })).toEqual({ ready: true });
  });

  it("stops serving a model on the tier when its deployed version is deleted", async () => {
    const version = await uploadOnnx(gateway, "short-lived", buildColourClassifier());
    const { tierModelName } = await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    expect(await kserve.call("ModelReady", { name: tierModelName, version: "1" })).toEqual({ ready: true });

    const deleted = await gateway.gql("mutation ($id: ID!) { deleteModelVersion(id: $id) }", {
      id: version.id,
    });
    expect(deleted).toEqual({ data: { deleteModelVersion: true } });
    const index = await kserve.call("RepositoryIndex", { repository_name: "", ready: false });
    expect(index.models.map((m: { name: string }) => m.name)).not.toContain(tierModelName);
    const listed = await gateway.gql<{ deployments: Array<{ tierModelName: string }> }>(
      "{ deployments { tierModelName } }",
    );
    expect(listed.data!.deployments.map((d) => d.tierModelName)).not.toContain(tierModelName);
  });

  it("answers SERVICE_UNAVAILABLE within the deadline while the tier is down and recovers when it returns", async () => {
    const version = await uploadOnnx(gateway, "outage", buildColourClassifier());
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    const blue = await solidPng([0, 0, 255]);
    expect((await classified(gateway, version.id, blue)).predictions[0]!.label).toBe("blue");

    const port = tier.port;
    await tier.stop();
    const started = Date.now();
    expectError(await classify(gateway, version.id, blue), "SERVICE_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 1_000);

    // A fresh tier on the same port holds no models: the gateway reloads the deployment itself.
    tier = await startTierProcess(port);
    let answer = await classify(gateway, version.id, blue);
    for (const until = Date.now() + 15_000; answer.errors && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await classify(gateway, version.id, blue);
    }
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data!.classifyImage.predictions[0]).toMatchObject({ label: "blue", index: 2 });
  });
});
