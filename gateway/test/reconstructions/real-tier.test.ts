import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blenderArchiveFiles, renderSyntheticScene } from "../../../inference/test/helpers/synthetic-scene";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { buildChannelMeanDepth } from "../../../inference/test/tasks/support/task-models";
import { deployReady, pngOf, uploadOnnx } from "../inference/inference-api";
import { buildImageToSphereSdf, radiusForMeanLevel } from "../../../inference/test/helpers/generative-models";
import {
  startGenerativeBackend,
  type BackendProcess,
} from "../../../inference/test/helpers/kserve-3d-backend-process";
import { createScene } from "../scenes/scene-archives";
import {
  CANCEL_RECONSTRUCTION,
  followReconstruction,
  isFinished,
  reconstructionOf,
  START_RECONSTRUCTION,
  startReconstruction,
  waitForReconstruction,
} from "./reconstruction-support";

/** Tiny on purpose: this proves the path through the real tier, not the field's quality (the bench does). */
// The tier's own tiny run (inference/test/helpers/reconstruction-requests.ts): enough steps for a surface.
const TINY = {
  gridResolution: 16,
  steps: 300,
  raysPerBatch: 512,
  samplesPerRay: 16,
  turntableFrames: 2,
  seed: 3,
};

describe("reconstructions through the real tier", () => {
  let gateway: TestGateway;
  let ada: string;
  let bob: string;
  let sceneId: string;
  // A second process standing in for a GPU host's Triton that serves generative 3D models.
  let backend: BackendProcess;

  beforeAll(async () => {
    backend = await startGenerativeBackend();
    gateway = await startTestGateway({
      env: { TESSERA_RECONSTRUCTION_THREADS: "1", TRITON_URL: `grpc://127.0.0.1:${backend.port}` },
    });
    ada = await gateway.createMember("ada");
    bob = await gateway.createMember("bob");
    // Uploaded the way a client does: a NeRF-synthetic archive of a scene the project renders itself.
    const rendered = renderSyntheticScene({ width: 16, height: 16, trainViews: 8, heldOutViews: 2, seed: 7 });
    const { files, ...transforms } = blenderArchiveFiles(rendered);
    sceneId = (
      await createScene(
        gateway,
        { name: "sphere on a box" },
        { ...transforms, ...Object.fromEntries(files) },
        ada,
      )
    ).scene.id;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await backend?.stop();
  });

  it("reconstructs a synthetic scene: SUCCEEDED, metrics, a GLB and renders to download, steps and previews streamed", async () => {
    const body = await startReconstruction(
      gateway,
      { method: "RADIANCE_FIELD", sceneId, settings: TINY },
      ada,
    );
    expect(body.errors).toBeUndefined();
    const { id } = body.data!.startReconstruction;
    const follower = followReconstruction(gateway, id, ada);
    const done = await waitForReconstruction(gateway, id, ada, isFinished, 120_000);
    await follower.ended;
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");
    expect(done.metrics!.psnr).toEqual(expect.any(Number));
    expect(done.metrics!.perView).toHaveLength(2);
    expect(done.metrics!.seconds).toBeGreaterThan(0);

    const kinds = done.artifacts.map((artifact) => artifact.kind);
    expect(kinds).toContain("MESH_GLB");
    expect(kinds).toContain("POINT_CLOUD_PLY");
    expect(kinds.filter((kind) => kind === "RENDER_PNG")).toHaveLength(2);
    expect(kinds.filter((kind) => kind === "TURNTABLE_PNG")).toHaveLength(2);
    expect(kinds).toContain("PREVIEW_PNG");
    const mesh = done.artifacts.find((artifact) => artifact.kind === "MESH_GLB")!;
    const glb = await fetch(mesh.url);
    expect(glb.headers.get("content-type")).toBe("model/gltf-binary");
    const bytes = Buffer.from(await glb.arrayBuffer());
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("glTF");
    expect(bytes.length).toBe(mesh.sizeBytes);
    expect(done.mesh!.triangleCount).toBeGreaterThan(0);
    const render = await fetch(done.artifacts.find((artifact) => artifact.kind === "RENDER_PNG")!.url);
    expect(
      Buffer.from(await render.arrayBuffer())
        .subarray(1, 4)
        .toString("latin1"),
    ).toBe("PNG");

    expect(follower.errors).toEqual([]);
    const types = follower.events.map((event) => event.__typename);
    expect(types[0]).toBe("ReconstructionStateEvent");
    expect(follower.events.at(-1)).toMatchObject({
      __typename: "ReconstructionStateEvent",
      status: "SUCCEEDED",
    });
    const firstStep = types.indexOf("ReconstructionStepEvent");
    const firstPreview = types.indexOf("ReconstructionPreviewEvent");
    expect(firstStep).toBeGreaterThan(0);
    expect(firstPreview).toBeGreaterThan(firstStep);
    const steps = follower.events.filter((event) => event.__typename === "ReconstructionStepEvent");
    const optimising = steps
      .filter((event) => event.phase === "optimising")
      .map((event) => event.step as number);
    expect(optimising).toEqual([...optimising].sort((a, b) => a - b));
    expect(optimising.at(-1)).toBe(TINY.steps);

    expect(await reconstructionOf(gateway, id, bob)).toBeNull();
  }, 180_000);

  it("cancels a running reconstruction on the tier", async () => {
    const body = await startReconstruction(
      gateway,
      { method: "RADIANCE_FIELD", sceneId, settings: { ...TINY, steps: 100_000 } },
      ada,
    );
    const { id } = body.data!.startReconstruction;
    const deadline = Date.now() + 60_000;
    while ((await gateway.prisma.jobEvent.count({ where: { jobId: id, type: "step" } })) === 0) {
      if (Date.now() > deadline) throw new Error("no step event arrived");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const refused = await gateway.gql(CANCEL_RECONSTRUCTION, { id }, bob);
    expect(refused.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const cancelled = await gateway.gql(CANCEL_RECONSTRUCTION, { id }, ada);
    expect(cancelled.errors).toBeUndefined();
    const done = await waitForReconstruction(gateway, id, ada, isFinished, 10_000);
    expect(done.status).toBe("CANCELLED");
    expect(done.artifacts.every((artifact) => artifact.kind === "PREVIEW_PNG")).toBe(true);
  }, 90_000);

  it("makes a 2.5D height-field mesh from one image with a deployed depth model (DEPTH_MESH)", async () => {
    const onnx = Buffer.from(buildChannelMeanDepth({ width: "width", height: "height" }));
    // The model says it answers depth (not the default, disparity): the tier reads it as such.
    const version = await uploadOnnx(gateway, "mean-depth", onnx, {
      modelType: "DEPTH_ESTIMATION",
      customMetadata: { depthKind: "depth" },
    });
    // Tensor values equal to the 8-bit levels, so the depth is the pixels' channel mean.
    await deployReady(gateway, version.id, {
      preprocessing: { mean: [0, 0, 0], std: [1 / 255, 1 / 255, 1 / 255] },
    });
    // A step: the left half near (depth 50), the right half far (depth 200).
    const image = await pngOf(32, 16, (x) => (x < 16 ? [50, 50, 50] : [200, 200, 200]));
    const body = await gateway.upload<{ startReconstruction: { id: string } }>(
      START_RECONSTRUCTION,
      {
        input: {
          method: "DEPTH_MESH",
          image: null,
          modelVersionId: version.id,
          settings: { meshCells: 16, fieldOfViewDegrees: 90, turntableFrames: 2 },
        },
      },
      [{ variable: "input.image", filename: "step.png", content: image, contentType: "image/png" }],
    );
    expect(body.errors).toBeUndefined();
    const done = await waitForReconstruction(
      gateway,
      body.data!.startReconstruction.id,
      gateway.adminToken,
      isFinished,
      60_000,
    );
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");
    expect(done.metrics).toMatchObject({ psnr: null, heightField: true });
    expect(done.mesh!.triangleCount).toBeGreaterThan(0);
    // Read as depth, the near half sits 50 units in front of the camera and the far one 200
    // (the camera looks down −Z); read as disparity the order would flip.
    expect(done.mesh!.bounds!.min[2]).toBeCloseTo(-200, 3);
    expect(done.mesh!.bounds!.max[2]).toBeCloseTo(-50, 3);
    const glb = await fetch(done.artifacts.find((artifact) => artifact.kind === "MESH_GLB")!.url);
    expect(
      Buffer.from(await glb.arrayBuffer())
        .subarray(0, 4)
        .toString("latin1"),
    ).toBe("glTF");
    expect(done.previewUrl).not.toBeNull();
  }, 90_000);

  it("runs TEXT_TO_3D on the backend a registered version names, and fails cleanly when it serves no such model", async () => {
    // Any file will do: the model runs on Triton, the registry only says where. Uploaded as the
    // admin (uploadOnnx's default token): only an admin's model may name a Triton model.
    const onnx = Buffer.from(buildImageToSphereSdf());
    const served = await uploadOnnx(gateway, "sphere-from-prompt", onnx, {
      modelType: "TEXT_TO_3D",
      customMetadata: { kserveModel: { name: "sphere-from-prompt" } },
    });
    const body = await startReconstruction(
      gateway,
      { method: "TEXT_TO_3D", prompt: "a ball of radius 0.6", modelVersionId: served.id },
      gateway.adminToken,
    );
    expect(body.errors).toBeUndefined();
    const done = await waitForReconstruction(
      gateway,
      body.data!.startReconstruction.id,
      gateway.adminToken,
      isFinished,
      60_000,
    );
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");
    // A ball of radius 0.6 over the cube ±1 sampled at 24 points per axis: within one voxel.
    const voxel = 2 / 23;
    for (const axis of [0, 1, 2]) {
      expect(Math.abs(done.mesh!.bounds!.max[axis]! - 0.6)).toBeLessThan(voxel);
      expect(Math.abs(done.mesh!.bounds!.min[axis]! + 0.6)).toBeLessThan(voxel);
    }
    expect(done.artifacts.map((artifact) => artifact.kind)).toContain("MESH_GLB");

    const missing = await uploadOnnx(gateway, "not-on-triton", onnx, {
      modelType: "TEXT_TO_3D",
      customMetadata: { kserveModel: { name: "not-on-triton" } },
    });
    const refused = await startReconstruction(
      gateway,
      { method: "TEXT_TO_3D", prompt: "a chair", modelVersionId: missing.id },
      gateway.adminToken,
    );
    const failed = await waitForReconstruction(
      gateway,
      refused.data!.startReconstruction.id,
      gateway.adminToken,
      isFinished,
      30_000,
    );
    expect(failed.status).toBe("FAILED");
    expect(failed.error!.code).toBe("FAILED_PRECONDITION");
    expect(failed.error!.message).toMatch(/not-on-triton/);
    expect(failed.artifacts).toEqual([]);
  }, 90_000);

  it("runs IMAGE_TO_3D with a generative ONNX model deployed on the tier", async () => {
    const version = await uploadOnnx(gateway, "image-to-sphere", Buffer.from(buildImageToSphereSdf()), {
      modelType: "IMAGE_TO_3D",
    });
    // One image in, one grid out: no batch dimension to batch on.
    await deployReady(gateway, version.id, { maxBatchSize: 0 });
    const level = 128;
    const image = await pngOf(8, 8, () => [level, level, level]);
    const body = await gateway.upload<{ startReconstruction: { id: string } }>(
      START_RECONSTRUCTION,
      { input: { method: "IMAGE_TO_3D", image: null, modelVersionId: version.id } },
      [{ variable: "input.image", filename: "grey.png", content: image, contentType: "image/png" }],
    );
    expect(body.errors).toBeUndefined();
    const done = await waitForReconstruction(
      gateway,
      body.data!.startReconstruction.id,
      gateway.adminToken,
      isFinished,
      60_000,
    );
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");
    const radius = radiusForMeanLevel(level);
    expect(Math.abs(done.mesh!.bounds!.max[0]! - radius)).toBeLessThan(2 / 23);
  }, 90_000);
});
