import { validateBytes } from "gltf-validator";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImageToSphereSdf, radiusForMeanLevel, sphereGridSide } from "../../helpers/generative-models";
import { connectKServe } from "../../helpers/kserve-client";
import { startGenerativeBackend, type BackendProcess } from "../../helpers/kserve-3d-backend-process";
import { loadRequest } from "../../helpers/model-loads";
import {
  artifactsOf,
  connectReconstruction,
  eventKinds,
  type ReconstructClient,
} from "../../helpers/reconstruct-client";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";

// The backend is a second process speaking KServe v2 as Triton does (helpers/kserve-3d-backend.ts):
// its models answer balls of known radius (a density grid, an sdf grid) and a unit cube as GLB.

describe("Reconstruct TEXT_TO_3D and IMAGE_TO_3D against a KServe v2 backend", () => {
  let backend: BackendProcess;
  let tier: TierProcess;
  let client: ReconstructClient;

  beforeAll(async () => {
    backend = await startGenerativeBackend();
    tier = await startTierProcess(0, { TRITON_URL: `grpc://127.0.0.1:${backend.port}` });
    client = connectReconstruction(tier.port);
  });

  afterAll(async () => {
    client?.close();
    await Promise.all([tier?.stop(), backend?.stop()]);
  });

  async function reconstruct(start: object) {
    const call = client.reconstruct([{ start }]);
    const status = await call.status;
    return { status, events: call.events, result: call.events.at(-1)?.result };
  }

  /** Every bound of the mesh is ±radius within one grid step. */
  function expectBall(mesh: { bounds_min: number[]; bounds_max: number[] }, radius: number, side: number) {
    const step = 2 / (side - 1);
    for (const value of mesh.bounds_min) expect(Math.abs(value + radius)).toBeLessThan(step);
    for (const value of mesh.bounds_max) expect(Math.abs(value - radius)).toBeLessThan(step);
  }

  it("meshes the density grid a text model answers for the prompt, with the request's parameters", async () => {
    const { status, events, result } = await reconstruct({
      method: "TEXT_TO_3D",
      model: { name: "sphere-from-prompt" },
      prompt: "a ball of radius 0.6",
      parameters: { grid: "32" },
      settings: { turntable_frames: 2 },
    });
    expect(status).toEqual({ code: 0, details: "OK" });
    const kinds = eventKinds(events).filter(
      (kind, index) => !(kind.startsWith("artifact") && events[index].artifact.last === false),
    );
    expect(kinds).toEqual([
      "progress:inference",
      "progress:meshing",
      "artifact:MESH_GLB",
      "artifact:POINT_CLOUD_PLY",
      "artifact:PREVIEW_PNG",
      "artifact:TURNTABLE_PNG",
      "artifact:TURNTABLE_PNG",
      "result",
    ]);
    expect(result).toMatchObject({ grid_resolution: 32, height_field: false });
    expectBall(result.mesh, 0.6, 32);
    const glb = artifactsOf(events).find((artifact) => artifact.kind === "MESH_GLB")!.bytes;
    const report = await validateBytes(new Uint8Array(glb));
    expect(report.issues.messages.filter((message) => message.severity === 0)).toEqual([]);
  });

  it("sends an image model the photo's pixels and meshes its sdf grid", async () => {
    const image = await sharp({
      create: { width: 12, height: 9, channels: 3, background: { r: 102, g: 102, b: 102 } },
    })
      .png()
      .toBuffer();
    const { status, result } = await reconstruct({
      method: "IMAGE_TO_3D",
      model: { name: "sphere-from-image" },
      image,
      settings: { turntable_frames: 0 },
    });
    expect(status).toEqual({ code: 0, details: "OK" });
    expectBall(result.mesh, radiusForMeanLevel(102), sphereGridSide);
  });

  it("runs an image model loaded on the tier itself through its runner", async () => {
    const kserve = connectKServe(tier.port);
    try {
      await kserve.call(
        "RepositoryModelLoad",
        loadRequest("local-sphere", { max_batch_size: 0 }, { 1: buildImageToSphereSdf() }),
      );
    } finally {
      kserve.close();
    }
    const image = await sharp({
      create: { width: 5, height: 7, channels: 3, background: { r: 153, g: 153, b: 153 } },
    })
      .png()
      .toBuffer();
    const { status, result } = await reconstruct({
      method: "IMAGE_TO_3D",
      model: { name: "local-sphere" },
      image,
    });
    expect(status).toEqual({ code: 0, details: "OK" });
    expect(result.grid_resolution).toBe(sphereGridSide);
    expectBall(result.mesh, radiusForMeanLevel(153), sphereGridSide);
  });

  it("never runs a model loaded on the tier under the name for a triton_only request", async () => {
    const kserve = connectKServe(tier.port);
    try {
      await kserve.call(
        "RepositoryModelLoad",
        loadRequest("registered-sphere", { max_batch_size: 0 }, { 1: buildImageToSphereSdf() }),
      );
    } finally {
      kserve.close();
    }
    const image = await sharp({ create: { width: 5, height: 7, channels: 3, background: "#999999" } })
      .png()
      .toBuffer();
    const { status, events } = await reconstruct({
      method: "IMAGE_TO_3D",
      model: { name: "registered-sphere", triton_only: true },
      image,
    });
    expect(status.code).toBe(9);
    expect(status.details).toMatch(
      new RegExp(`^model "registered-sphere" is not served by Triton at 127\\.0\\.0\\.1:${backend.port} `),
    );
    expect(events).toEqual([]);
  });

  it("passes a GLB the model answers through as the mesh, measured", async () => {
    const { status, events, result } = await reconstruct({
      method: "TEXT_TO_3D",
      model: { name: "cube-glb" },
      prompt: "a cube",
    });
    expect(status).toEqual({ code: 0, details: "OK" });
    expect(eventKinds(events)).toEqual([
      "progress:inference",
      "progress:meshing",
      "artifact:MESH_GLB",
      "result",
    ]);
    expect(result.mesh).toEqual({
      vertex_count: 8,
      triangle_count: 12,
      bounds_min: [-0.5, -0.5, -0.5],
      bounds_max: [0.5, 0.5, 0.5],
    });
  });

  it("refuses a model the backend does not serve with FAILED_PRECONDITION naming what to deploy", async () => {
    const { status, events } = await reconstruct({
      method: "TEXT_TO_3D",
      model: { name: "shap-e" },
      prompt: "a chair",
    });
    expect(status.code).toBe(9);
    expect(status.details).toBe(
      `model "shap-e" is not served by Triton at 127.0.0.1:${backend.port} (Request for unknown model: 'shap-e' is not found): ` +
        "deploy a TEXT_TO_3D model that takes prompt (BYTES, [1]) and answers mesh_glb (BYTES) or density / sdf " +
        "(FP32, [N, N, N]) on this tier or on the Triton server at TRITON_URL (see deploy/shap-e-triton)",
    );
    expect(events).toEqual([]);
  });

  it("refuses a model whose inputs are not the method's with FAILED_PRECONDITION", async () => {
    const { status, events } = await reconstruct({
      method: "TEXT_TO_3D",
      model: { name: "sphere-from-image" },
      prompt: "a ball",
    });
    expect(status.code).toBe(9);
    expect(status.details).toMatch(
      /^model "sphere-from-image" does not take prompt \(BYTES\); its inputs are image \(UINT8\)/,
    );
    expect(events).toEqual([]);
  });
});
