import { buildLinearClassifier } from "@tessera/onnx/fixtures";
import { validateBytes } from "gltf-validator";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectKServe, type KServeTestClient } from "../../helpers/kserve-client";
import { loadRequest } from "../../helpers/model-loads";
import {
  artifactsOf,
  connectReconstruction,
  eventKinds,
  type ReconstructClient,
} from "../../helpers/reconstruct-client";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";
import { buildChannelMeanDepth } from "../../tasks/support/task-models";

// The fixture depth model answers each pixel's channel mean of its 8-bit levels, so a photo
// drawn in two greys is a depth map with a step: 50 units on the left half, 200 on the right.

const levels = { std: [1 / 255, 1 / 255, 1 / 255] };
const depthConfig = {
  max_batch_size: 4,
  parameters: {
    "tessera.task": { string_value: "depth" },
    "tessera.preprocessing": { string_value: JSON.stringify(levels) },
  },
};

describe("Reconstruct DEPTH_MESH", () => {
  let tier: TierProcess;
  let kserve: KServeTestClient;
  let client: ReconstructClient;
  let photo: Buffer;

  beforeAll(async () => {
    tier = await startTierProcess(0);
    kserve = connectKServe(tier.port);
    client = connectReconstruction(tier.port);
    await kserve.call(
      "RepositoryModelLoad",
      loadRequest("channel-mean-depth", depthConfig, {
        1: buildChannelMeanDepth({ width: "width", height: "height" }),
      }),
    );
    await kserve.call(
      "RepositoryModelLoad",
      loadRequest(
        "classifier",
        { max_batch_size: 4, parameters: { "tessera.task": { string_value: "classification" } } },
        {
          1: buildLinearClassifier().toBytes(),
        },
      ),
    );
    const pixels = Buffer.alloc(16 * 8 * 3);
    for (let pixel = 0; pixel < 16 * 8; pixel++)
      pixels.fill(pixel % 16 < 8 ? 50 : 200, pixel * 3, pixel * 3 + 3);
    photo = await sharp(pixels, { raw: { width: 16, height: 8, channels: 3 } })
      .png()
      .toBuffer();
  });

  afterAll(async () => {
    client?.close();
    kserve?.close();
    await tier?.stop();
  });

  const start = {
    method: "DEPTH_MESH",
    model: { name: "channel-mean-depth" },
    field_of_view_degrees: 90,
    mesh_cells: 4,
    parameters: { depth_kind: "depth" },
    settings: { turntable_frames: 3 },
  };

  it("back-projects the depth map into a textured height field, dropping the triangles across the step", async () => {
    const call = client.reconstruct([{ start: { ...start, image: photo } }]);
    expect(await call.status).toEqual({ code: 0, details: "OK" });
    const kinds = eventKinds(call.events).filter(
      (kind, index) => !(kind.startsWith("artifact") && call.events[index].artifact.last === false),
    );
    expect(kinds).toEqual([
      "progress:inference",
      "progress:meshing",
      "artifact:MESH_GLB",
      "artifact:POINT_CLOUD_PLY",
      "artifact:PREVIEW_PNG",
      "artifact:TURNTABLE_PNG",
      "artifact:TURNTABLE_PNG",
      "artifact:TURNTABLE_PNG",
      "result",
    ]);
    const { result } = call.events.at(-1);
    // 4 × 2 vertices at the cells' centres; of the 3 × 1 quads, the one across the step is dropped.
    // With a 90° field of view, x = (2s − 1)·d and y = (1 − 2t)·(8/16)·d at depth d along −Z.
    expect(result).toMatchObject({
      height_field: true,
      mesh: {
        vertex_count: 8,
        triangle_count: 4,
        bounds_min: [-37.5, -50, -200],
        bounds_max: [150, 50, -50],
      },
    });
    expect(Number.isNaN(result.psnr)).toBe(true);

    const artifacts = artifactsOf(call.events);
    const glb = artifacts.find((artifact) => artifact.kind === "MESH_GLB")!.bytes;
    const report = await validateBytes(new Uint8Array(glb));
    expect(report.issues.messages.filter((message) => message.severity === 0)).toEqual([]);
    const json = JSON.parse(glb.subarray(20, 20 + glb.readUInt32LE(12)).toString("utf8"));
    expect(json.asset.extras).toMatchObject({ method: "DEPTH_MESH", heightField: true, depthKind: "depth" });
    expect(json.textures).toHaveLength(1);

    const ply = artifacts.find((artifact) => artifact.kind === "POINT_CLOUD_PLY")!.bytes;
    const body = ply.subarray(ply.indexOf("end_header\n") + "end_header\n".length);
    const colours = Array.from({ length: 8 }, (_, point) => body[point * 15 + 12]);
    expect(colours).toEqual([50, 50, 200, 200, 50, 50, 200, 200]);
    const preview = await sharp(
      artifacts.find((artifact) => artifact.kind === "PREVIEW_PNG")!.bytes,
    ).metadata();
    expect([preview.width, preview.height]).toEqual([256, 128]);
  });

  it("refuses a model that is not a depth model with FAILED_PRECONDITION", async () => {
    const call = client.reconstruct([{ start: { ...start, model: { name: "classifier" }, image: photo } }]);
    expect(await call.status).toEqual({
      code: 9,
      details: 'DEPTH_MESH needs a depth model; model "classifier" version 1 is a classification model',
    });
    expect(call.events).toEqual([]);
  });
});
