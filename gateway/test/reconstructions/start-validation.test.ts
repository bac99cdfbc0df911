import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelType } from "../../src/generated/prisma/client";
import { startTestGateway, type TestGateway } from "../support/gateway";
import {
  CANCEL_RECONSTRUCTION,
  insertSyntheticScene,
  reconstructionOf,
  START_RECONSTRUCTION,
  startReconstruction,
  storedCounts,
  userId,
} from "./reconstruction-support";

/** No worker here: what startReconstruction stores (or refuses to) is what these tests see. */
const ENV = {
  TESSERA_RECONSTRUCTION_WORKERS: "0",
  // Nothing here reaches a tier: an address where none listens keeps these tests independent of it.
  INFERENCE_URL: "127.0.0.1:1",
  // The default 128³ run on the scene below fits; 256³ does not.
  TESSERA_RECONSTRUCTION_MAX_BYTES: String(256 * 1024 ** 2),
};

const PNG_1X1 = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fea7d6a4e00000000049454e44ae426082",
  "hex",
);

describe("startReconstruction refuses bad input before storing anything", () => {
  let gateway: TestGateway;
  let ada: string;
  let bob: string;
  let adaScene: string;
  let bobScene: string;
  let tinyScene: string;

  const insertModel = async (owner: string, slug: string, modelType: ModelType) => {
    const ownerId = await userId(gateway, owner);
    const model = await gateway.prisma.model.create({
      data: {
        ownerId,
        slug,
        name: slug,
        framework: "ONNX",
        modelType,
        versions: { create: { version: "v1", ordinal: 1, createdById: ownerId, sizeBytes: 0n } },
      },
      include: { versions: true },
    });
    return model.versions[0]!.id;
  };

  /** Every refused request: the code (and the `field` or `reason` when given), and nothing stored. */
  const expectRefused = async (
    input: Record<string, unknown>,
    expected: { code: string; field?: string; reason?: string; message?: RegExp },
    token = ada,
  ) => {
    const before = await storedCounts(gateway);
    const body = await startReconstruction(gateway, input, token);
    expect(body.data ?? null).toBeNull();
    const error = body.errors?.[0];
    expect(error?.extensions?.code, JSON.stringify(body.errors)).toBe(expected.code);
    if (expected.field) expect(error?.extensions?.field).toBe(expected.field);
    if (expected.reason) expect(error?.extensions?.reason).toBe(expected.reason);
    if (expected.message) expect(error?.message).toMatch(expected.message);
    expect(await storedCounts(gateway)).toEqual(before);
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ env: ENV });
    ada = await gateway.createMember("ada");
    bob = await gateway.createMember("bob");
    adaScene = (await insertSyntheticScene(gateway, await userId(gateway, "ada"))).id;
    bobScene = (await insertSyntheticScene(gateway, await userId(gateway, "bob"))).id;
    tinyScene = (
      await insertSyntheticScene(gateway, await userId(gateway, "ada"), { trainViews: 5, heldOutViews: 2 })
    ).id;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it.each([
    ["gridResolution", 8],
    ["gridResolution", 512],
    ["steps", 0],
    ["steps", 100_001],
    ["raysPerBatch", 32],
    ["samplesPerRay", 2_000],
    ["seed", -1],
    ["turntableFrames", 121],
    ["targetTriangles", -1],
    ["fieldOfViewDegrees", 179],
  ])("refuses settings.%s = %s (BAD_USER_INPUT naming the setting)", async (name, value) => {
    await expectRefused(
      { method: "RADIANCE_FIELD", sceneId: adaScene, settings: { [name]: value } },
      { code: "BAD_USER_INPUT", field: `settings.${name}`, message: /must be between/ },
    );
  });

  it("refuses a background that is not #rrggbb", async () => {
    await expectRefused(
      { method: "RADIANCE_FIELD", sceneId: adaScene, settings: { background: "white" } },
      { code: "BAD_USER_INPUT", field: "settings.background" },
    );
  });

  it("refuses a background other than the scene's (its photos were composited on it), naming the scene's", async () => {
    await expectRefused(
      { method: "RADIANCE_FIELD", sceneId: adaScene, settings: { background: "#000000" } },
      { code: "BAD_USER_INPUT", field: "settings.background", message: /scene's background, "#ffffff"/ },
    );
    // The scene's own, in any case, is taken; left out, it is the default.
    const same = await startReconstruction(
      gateway,
      {
        method: "RADIANCE_FIELD",
        sceneId: adaScene,
        settings: { background: "#FFFFFF", gridResolution: 16 },
      },
      ada,
    );
    expect(same.errors).toBeUndefined();
    expect(same.data!.startReconstruction.settings.background).toBe("#ffffff");
  });

  it("refuses a run whose memory estimate is over TESSERA_RECONSTRUCTION_MAX_BYTES", async () => {
    await expectRefused(
      { method: "RADIANCE_FIELD", sceneId: adaScene, settings: { gridResolution: 256 } },
      {
        code: "BAD_USER_INPUT",
        field: "settings.gridResolution",
        message: /TESSERA_RECONSTRUCTION_MAX_BYTES/,
      },
    );
  });

  it("answers NOT_FOUND for another user's private scene, an unknown one and a malformed id", async () => {
    for (const sceneId of [bobScene, "6a1f8e1c-52a4-4c54-9d43-8f1c0b1d2e3f", "not-an-id"]) {
      await expectRefused({ method: "RADIANCE_FIELD", sceneId }, { code: "NOT_FOUND" });
    }
  });

  it("refuses a scene with fewer than 8 frames to train on", async () => {
    await expectRefused(
      { method: "RADIANCE_FIELD", sceneId: tinyScene },
      { code: "BAD_USER_INPUT", field: "sceneId", message: /5 frames to train on.*at least 8/ },
    );
  });

  it("refuses a missing input of the method, an input it does not use, and image with sampleId", async () => {
    await expectRefused({ method: "RADIANCE_FIELD" }, { code: "BAD_USER_INPUT", field: "sceneId" });
    await expectRefused({ method: "TEXT_TO_3D" }, { code: "BAD_USER_INPUT", field: "prompt" });
    await expectRefused({ method: "IMAGE_TO_3D" }, { code: "BAD_USER_INPUT", field: "image" });
    await expectRefused(
      { method: "DEPTH_MESH", sampleId: "6a1f8e1c-52a4-4c54-9d43-8f1c0b1d2e3f" },
      { code: "BAD_USER_INPUT", field: "modelVersionId" },
    );
    await expectRefused(
      { method: "RADIANCE_FIELD", sceneId: adaScene, prompt: "a chair" },
      { code: "BAD_USER_INPUT", field: "prompt" },
    );
  });

  it("refuses an empty prompt and one over 1,000 characters", async () => {
    await expectRefused({ method: "TEXT_TO_3D", prompt: "   " }, { code: "BAD_USER_INPUT", field: "prompt" });
    await expectRefused(
      { method: "TEXT_TO_3D", prompt: "a".repeat(1_001) },
      { code: "BAD_USER_INPUT", field: "prompt", message: /at most 1000 characters, got 1001/ },
    );
  });

  it("refuses TEXT_TO_3D and IMAGE_TO_3D without a deployed model of that type, naming what to deploy", async () => {
    await expectRefused(
      { method: "TEXT_TO_3D", prompt: "a red chair" },
      {
        code: "FAILED_PRECONDITION",
        message: /deploy a model version of type TEXT_TO_3D/,
      },
    );
    const before = await storedCounts(gateway);
    const body = await gateway.upload(
      START_RECONSTRUCTION,
      { input: { method: "IMAGE_TO_3D", image: null } },
      [{ variable: "input.image", filename: "chair.png", content: PNG_1X1, contentType: "image/png" }],
      ada,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "FAILED_PRECONDITION" });
    expect(body.errors?.[0]?.message).toMatch(/deploy a model version of type IMAGE_TO_3D/);
    expect(await storedCounts(gateway)).toEqual(before);
  });

  it("refuses DEPTH_MESH with a model that is not a depth model, not visible, or not deployed", async () => {
    const classifier = await insertModel("ada", "classifier", "CLASSIFICATION");
    const bobsDepth = await insertModel("bob", "bobs-depth", "DEPTH_ESTIMATION");
    const adasDepth = await insertModel("ada", "depth", "DEPTH_ESTIMATION");
    const sample = async (modelVersionId: string) => {
      const before = await storedCounts(gateway);
      const body = await gateway.upload(
        START_RECONSTRUCTION,
        { input: { method: "DEPTH_MESH", image: null, modelVersionId } },
        [{ variable: "input.image", filename: "room.png", content: PNG_1X1, contentType: "image/png" }],
        ada,
      );
      expect(await storedCounts(gateway)).toEqual(before);
      return body.errors?.[0];
    };
    expect((await sample(classifier))?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "modelVersionId",
    });
    expect((await sample(classifier))?.message).toMatch(/needs a model of type DEPTH_ESTIMATION/);
    expect((await sample(bobsDepth))?.extensions?.code).toBe("NOT_FOUND");
    const undeployed = await sample(adasDepth);
    expect(undeployed?.extensions).toMatchObject({ code: "FAILED_PRECONDITION" });
    expect(undeployed?.message).toMatch(/not deployed.*deployModelVersion/);
  });

  it("refuses an upload that is not an image and leaves no blob behind", async () => {
    const depth = (await gateway.prisma.modelVersion.findFirst({ where: { model: { slug: "depth" } } }))!;
    await gateway.prisma.deployment.create({
      data: { modelVersionId: depth.id, config: {}, state: "READY", createdById: depth.createdById },
    });
    const before = await storedCounts(gateway);
    const body = await gateway.upload(
      START_RECONSTRUCTION,
      { input: { method: "DEPTH_MESH", image: null, modelVersionId: depth.id } },
      [
        {
          variable: "input.image",
          filename: "notes.txt",
          content: Buffer.from("not an image at all"),
          contentType: "text/plain",
        },
      ],
      ada,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "image" });
    expect(await storedCounts(gateway)).toEqual(before);
  });

  it("refuses anonymous requests", async () => {
    await expectRefused(
      { method: "RADIANCE_FIELD", sceneId: adaScene },
      { code: "UNAUTHENTICATED" },
      null as never,
    );
  });

  it("stores the Job and the Reconstruction together, with the settings resolved; only the owner sees or cancels it", async () => {
    const before = await storedCounts(gateway);
    const body = await startReconstruction(
      gateway,
      {
        method: "RADIANCE_FIELD",
        sceneId: adaScene,
        settings: { gridResolution: 32, steps: 40 },
      },
      ada,
    );
    expect(body.errors).toBeUndefined();
    const started = body.data!.startReconstruction;
    expect(started).toMatchObject({
      status: "QUEUED",
      method: "RADIANCE_FIELD",
      owner: { handle: "ada" },
      scene: { id: adaScene },
      metrics: null,
      mesh: null,
      artifacts: [],
      previewUrl: null,
      job: { id: started.id, kind: "RECONSTRUCT_3D", status: "QUEUED" },
      settings: {
        gridResolution: 32,
        steps: 40,
        raysPerBatch: 4096,
        samplesPerRay: 256,
        background: "#ffffff",
        seed: 0,
        viewDependent: false,
        turntableFrames: 24,
        targetTriangles: 200_000,
        previewEvery: 10,
        checkpointEvery: 20,
        threads: 2,
      },
    });
    const after = await storedCounts(gateway);
    expect(after).toMatchObject({
      jobs: before.jobs + 1,
      reconstructions: before.reconstructions + 1,
      blobs: before.blobs,
    });
    const job = await gateway.prisma.job.findUniqueOrThrow({ where: { id: started.id } });
    expect(job).toMatchObject({ kind: "reconstruct-3d", payload: { reconstructionId: started.id } });

    expect(await reconstructionOf(gateway, started.id, bob)).toBeNull();
    const refused = await gateway.gql(CANCEL_RECONSTRUCTION, { id: started.id }, bob);
    expect(refused.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const cancelled = await gateway.gql<{ cancelReconstruction: { status: string } }>(
      CANCEL_RECONSTRUCTION,
      { id: started.id },
      ada,
    );
    expect(cancelled.data?.cancelReconstruction.status).toBe("CANCELLED");
  });
});
