import { OnnxGraphBuilder } from "@tessera/onnx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngDeclaring } from "../../../inference/test/tasks/support/test-images";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectError } from "../registry/operations";
import { zipDatasetFiles } from "../support/texture-dataset";
import {
  buildColourClassifier,
  classified,
  classify,
  deploy,
  deployReady,
  DEPLOYMENT_FIELDS,
  expectedPredictions,
  expectPredictions,
  IMAGENET,
  pngOf,
  solidPng,
  UNDEPLOY,
  UNIT_PREPROCESSING,
  uploadOnnx,
  withImage,
} from "./inference-api";

/** Through GraphQL, from an uploaded ONNX file to exact classification scores. */
describe("classifyImage end to end", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("deploys an uploaded classifier READY under <handle>.<slug> version 1 and classifies exactly", async () => {
    const version = await uploadOnnx(gateway, "colours", buildColourClassifier());
    expect(version.labels).toEqual(["red", "green", "blue"]);
    const deployment = await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    expect(deployment).toMatchObject({
      tierModelName: "admin.colours",
      tierModelVersion: "1",
      modelVersion: { id: version.id },
    });
    const shown = await gateway.gql(
      "query ($id: ID!) { modelVersion(id: $id) { deployment { id state tierModelVersion config { task maxBatchSize preprocessing { width height mean } } } } }",
      { id: version.id },
    );
    expect(shown).toEqual({
      data: {
        modelVersion: {
          deployment: {
            id: deployment.id,
            state: "READY",
            tierModelVersion: "1",
            config: {
              task: "CLASSIFICATION",
              maxBatchSize: 8,
              preprocessing: { width: 8, height: 8, mean: [0, 0, 0] },
            },
          },
        },
      },
    });

    const blue = await classified(gateway, version.id, await solidPng([0, 0, 255]));
    expect(blue.modelVersionId).toBe(version.id);
    expect(blue.predictions[0]).toMatchObject({ label: "blue", index: 2 });
    expect(blue.predictions[0]!.score).toBeGreaterThan(0.96);
    expectPredictions(blue.predictions, expectedPredictions([0, 0, 255]));

    // Left half (200, 40, 10), right half (20, 120, 60): the means are the halves' averages.
    const halves = await pngOf(8, 8, (x) => (x < 4 ? [200, 40, 10] : [20, 120, 60]));
    const mixed = await classified(gateway, version.id, halves, 2);
    expectPredictions(mixed.predictions, expectedPredictions([110, 80, 35]).slice(0, 2));

    const listed = await gateway.gql<{ deployments: Array<{ id: string; state: string }> }>(
      `{ deployments { ${DEPLOYMENT_FIELDS} } }`,
    );
    expect(listed.data?.deployments).toEqual([
      expect.objectContaining({ id: deployment.id, state: "READY" }),
    ]);
  });

  it("deploys a version on first use with the default (ImageNet) preprocessing", async () => {
    const version = await uploadOnnx(gateway, "auto-colours", buildColourClassifier());
    const green = await classified(gateway, version.id, await solidPng([30, 220, 40]));
    expectPredictions(green.predictions, expectedPredictions([30, 220, 40], IMAGENET));

    const shown = await gateway.gql<{
      modelVersion: { deployment: { state: string; tierModelName: string } };
    }>("query ($id: ID!) { modelVersion(id: $id) { deployment { state tierModelName } } }", {
      id: version.id,
    });
    expect(shown.data?.modelVersion.deployment).toEqual({
      state: "READY",
      tierModelName: "admin.auto-colours",
    });
  });

  it("swaps to a second version; the first answers CONFLICT; undeploy stops serving", async () => {
    const first = await uploadOnnx(gateway, "swapped", buildColourClassifier());
    const second = await uploadOnnx(gateway, "swapped", buildColourClassifier());
    const red = await solidPng([255, 0, 0]);
    await deployReady(gateway, first.id, { preprocessing: UNIT_PREPROCESSING });
    expect((await classified(gateway, first.id, red)).predictions[0]!.label).toBe("red");

    const swapped = await deployReady(gateway, second.id, { preprocessing: UNIT_PREPROCESSING });
    expect(swapped).toMatchObject({ tierModelName: "admin.swapped", tierModelVersion: "2" });
    expectPredictions(
      (await classified(gateway, second.id, red)).predictions,
      expectedPredictions([255, 0, 0]),
    );
    expectError(
      await classify(gateway, first.id, red),
      "CONFLICT",
      /one version of a model is served at a time/,
    );

    const undeployed = await gateway.gql<{ undeployModelVersion: boolean }>(UNDEPLOY, { id: second.id });
    expect(undeployed).toEqual({ data: { undeployModelVersion: true } });
    const shown = await gateway.gql<{ modelVersion: { deployment: unknown } }>(
      "query ($id: ID!) { modelVersion(id: $id) { deployment { id } } }",
      { id: second.id },
    );
    expect(shown.data?.modelVersion.deployment).toBeNull();
    expectError(await gateway.gql(UNDEPLOY, { id: second.id }), "NOT_FOUND");
  });

  it("refuses to deploy an ONNX file whose graph references a missing initializer", async () => {
    const broken = new OnnxGraphBuilder({ graphName: "broken" })
      .addInput("image", "float32", ["batch", 3, 8, 8])
      .addNode({ op: "GlobalAveragePool", inputs: ["image"], outputs: ["pooled"] })
      .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["means"], attributes: { axis: { int: 1 } } })
      .addNode({ op: "MatMul", inputs: ["means", "missing.weights"], outputs: ["scores"] })
      .addOutput("scores", "float32", ["batch", 3]);
    const version = await uploadOnnx(gateway, "broken", Buffer.from(broken.toBytes()), {
      modelType: "CLASSIFICATION",
    });
    expect(version.validation).toBe("INVALID");
    expectError(await deploy(gateway, version.id), "BAD_USER_INPUT", /cannot be deployed/);
    expectError(await classify(gateway, version.id, await solidPng([0, 0, 255])), "BAD_USER_INPUT");
  });

  it("answers BAD_USER_INPUT for bytes that are not an image, a truncated PNG and a decompression bomb", async () => {
    const version = await uploadOnnx(gateway, "guarded", buildColourClassifier());
    await deployReady(gateway, version.id);
    const png = await solidPng([10, 20, 30], 64, 64);

    expectError(
      await classify(gateway, version.id, Buffer.from("these bytes are not an image")),
      "BAD_USER_INPUT",
    );
    expectError(await classify(gateway, version.id, png.subarray(0, png.length - 40)), "BAD_USER_INPUT");
    // 20000 × 20000 pixels declared in a few hundred bytes: rejected before the pixels are allocated.
    expectError(await classify(gateway, version.id, pngDeclaring(20_000, 20_000)), "BAD_USER_INPUT", /MP/);
    // The model still serves afterwards.
    expect((await classified(gateway, version.id, png)).predictions).toHaveLength(3);
  });

  it("answers BAD_USER_INPUT when a depth model is asked to classify", async () => {
    const depth = new OnnxGraphBuilder({ graphName: "depth" })
      .addInput("image", "float32", ["batch", 3, 8, 8])
      .addNode({
        op: "ReduceMean",
        inputs: ["image"],
        outputs: ["depth"],
        attributes: { axes: { ints: [1] }, keepdims: { int: 1 } },
      })
      .addOutput("depth", "float32", ["batch", 1, 8, 8]);
    const version = await uploadOnnx(gateway, "a-depth-model", Buffer.from(depth.toBytes()), {
      modelType: "DEPTH_ESTIMATION",
    });
    const body = await withImage(
      gateway,
      "mutation ($id: ID!, $image: ImageInput!) { classifyImage(modelVersionId: $id, image: $image) { latencyMs } }",
      { id: version.id },
      await solidPng([1, 2, 3]),
    );
    expectError(body, "BAD_USER_INPUT", /deployed for DEPTH, not CLASSIFICATION/);
  });
});

describe("classifyImage with a dataset sample as the image", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("classifies a sample the viewer can see, and hides another member's private sample", async () => {
    const archive = await zipDatasetFiles([{ path: "blue/sky.png", bytes: await solidPng([0, 0, 255]) }]);
    const uploaded = await gateway.upload<{ uploadDataset: { version: { id: string } } }>(
      `mutation ($zip: Upload!) {
        uploadDataset(input: { name: "skies" }, archive: $zip, generateEmbeddings: false) { version { id } }
      }`,
      {},
      [{ variable: "zip", filename: "skies.zip", content: archive }],
    );
    expect(uploaded.errors).toBeUndefined();
    const samples = await gateway.gql<{
      datasetVersion: { samples: { edges: Array<{ node: { id: string } }> } };
    }>("query ($id: ID!) { datasetVersion(id: $id) { samples { edges { node { id } } } } }", {
      id: uploaded.data!.uploadDataset.version.id,
    });
    const sampleId = samples.data!.datasetVersion.samples.edges[0]!.node.id;
    const version = await uploadOnnx(gateway, "sample-colours", buildColourClassifier());
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });

    const query = `mutation ($id: ID!, $sample: ID!) {
      classifyImage(modelVersionId: $id, image: { sampleId: $sample }, topK: 1) { predictions { label index } }
    }`;
    const answer = await gateway.gql(query, { id: version.id, sample: sampleId });
    expect(answer).toEqual({ data: { classifyImage: { predictions: [{ label: "blue", index: 2 }] } } });

    const member = await gateway.createMember("sample-outsider");
    await gateway.gql("mutation ($id: ID!) { updateModel(id: $id, patch: { isPublic: true }) { id } }", {
      id: (
        await gateway.gql<{ modelVersion: { model: { id: string } } }>(
          "query ($id: ID!) { modelVersion(id: $id) { model { id } } }",
          { id: version.id },
        )
      ).data!.modelVersion.model.id,
    });
    expectError(
      await gateway.gql(query, { id: version.id, sample: sampleId }, member),
      "NOT_FOUND",
      `Sample ${sampleId} not found`,
    );
  });
});
