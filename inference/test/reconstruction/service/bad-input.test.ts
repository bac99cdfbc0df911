import * as grpc from "@grpc/grpc-js";
import { estimateRadianceFieldBytes } from "@tessera/proto/reconstruction-settings";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectReconstruction, type ReconstructClient } from "../../helpers/reconstruct-client";
import { radianceFieldMessages, tinyScene } from "../../helpers/reconstruction-requests";
import type { SyntheticScene } from "../../helpers/synthetic-scene";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";

// Every request that can never succeed ends with its status and no event at all: nothing of a
// run is produced before the whole request has been checked.

type Messages = Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Reconstruct refuses bad input", () => {
  let tier: TierProcess;
  let client: ReconstructClient;
  let scene: SyntheticScene;
  let valid: Messages;

  beforeAll(async () => {
    // 64 MiB: the tiny runs fit, a 256³ grid does not.
    tier = await startTierProcess(0, { TESSERA_RECONSTRUCTION_MAX_BYTES: String(64 * 1024 ** 2) });
    client = connectReconstruction(tier.port);
    scene = tinyScene();
    valid = (await radianceFieldMessages(scene)) as Messages;
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  /** The valid RADIANCE_FIELD request with `change` applied to a deep copy of its messages. */
  const changed = (change: (messages: Messages) => void): Messages => {
    const messages = valid.map((message) => structuredClone(message));
    change(messages);
    return messages;
  };

  async function refusal(messages: object[]) {
    const call = client.reconstruct(messages);
    const status = await call.status;
    return { ...status, events: call.events.length };
  }

  const camera = (messages: Messages, frame: number) => messages[0]!.start.frames[frame].camera;

  it.each([
    [
      "settings over their bounds",
      (m: Messages) => (m[0]!.start.settings.grid_resolution = 512),
      "settings.grid_resolution must be between 16 and 256, got 512",
    ],
    [
      "too few steps between previews' bound",
      (m: Messages) => (m[0]!.start.settings.preview_every = 100_001),
      "settings.preview_every must be between 0 and 100000, got 100001",
    ],
    [
      "a background out of 0…1",
      (m: Messages) => (m[0]!.start.settings.background = [1, 2, 0]),
      "settings.background must be 3 numbers between 0 and 1 (linear RGB), got [1, 2, 0]",
    ],
    [
      "a scaled rotation",
      (m: Messages) => {
        const t = camera(m, 2).transform;
        for (const i of [0, 4, 8]) t[i] *= 1.01;
      },
      "frames[2].camera.transform is not rigid: its rotation's columns 0 and 0 have dot product 1.0201, expected 1 within 0.001 (scale or shear in the pose?)",
    ],
    [
      "a mirrored rotation",
      (m: Messages) => {
        const t = camera(m, 1).transform;
        for (const i of [0, 4, 8]) t[i] = -t[i];
      },
      "frames[1].camera.transform is not rigid: its rotation has determinant -1, expected 1 (a mirror?)",
    ],
    [
      "a last row other than 0 0 0 1",
      (m: Messages) => (camera(m, 0).transform[12] = 0.5),
      "frames[0].camera.transform must end with the row 0 0 0 1, got 0.5 0 0 1",
    ],
    [
      "a matrix that is not 4×4",
      (m: Messages) => camera(m, 0).transform.splice(12),
      "frames[0].camera.transform must be a 4×4 matrix (16 numbers, row by row), got 12 numbers",
    ],
    [
      "a focal length of 0",
      (m: Messages) => (camera(m, 3).fx = 0),
      "frames[3].camera.fx must be a focal length above 0 pixels, got 0",
    ],
    [
      "a negative focal length",
      (m: Messages) => (camera(m, 3).fy = -5),
      "frames[3].camera.fy must be a focal length above 0 pixels, got -5",
    ],
    [
      "a frame under 16 pixels wide, too small for SSIM's window",
      (m: Messages) => (camera(m, 4).width = 10),
      "frames[4].camera.width must be between 16 and 16384, got 10",
    ],
    [
      "a frame under 16 pixels high",
      (m: Messages) => (camera(m, 0).height = 15),
      "frames[0].camera.height must be between 16 and 16384, got 15",
    ],
    [
      "fewer than 8 training frames",
      (m: Messages) => (m[0]!.start.frames[0].role = "HELD_OUT"),
      "A radiance field needs at least 8 TRAIN frames, got 7",
    ],
    [
      "empty bounds",
      (m: Messages) => (m[0]!.start.bounds_max = [1, -1, 1]),
      "The bounds are empty along y: bounds_max -1 must be above bounds_min -1",
    ],
    [
      "bounds of 2 numbers",
      (m: Messages) => (m[0]!.start.bounds_min = [0, 0]),
      "bounds_min and bounds_max must be 3 numbers each (x y z), got 2 and 3",
    ],
    [
      "a frame listed twice",
      (m: Messages) => (m[0]!.start.frames[1].index = 0),
      "frames[1].index 0 appears more than once",
    ],
    [
      "a frame before the start",
      (m: Messages) => m.unshift(m.splice(1, 1)[0]!),
      "The first message must be a ReconstructStart, got a frame",
    ],
    [
      "a frame that was not listed",
      (m: Messages) => (m[1]!.frame.index = 99),
      "FrameImage 99 is not a frame the ReconstructStart listed",
    ],
    [
      "a listed frame that never comes",
      (m: Messages) => m.splice(3, 1),
      "The stream ended without the images of 1 listed frames (2)",
    ],
    [
      "a checkpoint shorter than announced",
      (m: Messages) => (m[0]!.start.checkpoint_bytes = 10),
      "The checkpoint's chunks hold 0 bytes; checkpoint_bytes announced 10",
    ],
    [
      "bytes that are not an image",
      (m: Messages) => (m[2]!.frame.data = Buffer.from("not a photo")),
      "The image of frame 1: The bytes are not a JPEG, PNG, WebP or GIF image (11 bytes starting 6e 6f 74 20 61 20 70 68)",
    ],
  ])("INVALID_ARGUMENT for %s", async (_name, change, details) => {
    expect(await refusal(changed(change))).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      details,
      events: 0,
    });
  });

  it("INVALID_ARGUMENT for a photo of another size than its camera", async () => {
    const photo = await sharp({ create: { width: 20, height: 16, channels: 3, background: "#808080" } })
      .png()
      .toBuffer();
    const messages = changed((m) => (m[4]!.frame.data = photo));
    expect(await refusal(messages)).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      details: "The image of frame 3 is 20×16 pixels but its camera is 16×16",
      events: 0,
    });
  });

  it("RESOURCE_EXHAUSTED for a run whose memory estimate is over the tier's limit, before any frame is read", async () => {
    const messages = changed((m) => {
      m[0]!.start.settings.grid_resolution = 256;
      m.splice(1);
    });
    const answer = await refusal(messages);
    expect(answer).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED, events: 0 });
    const bytes = estimateRadianceFieldBytes({
      gridResolution: 256,
      viewDependent: false,
      threads: 1,
      frames: 10,
      width: 16,
      height: 16,
    });
    expect(answer.details).toBe(
      `The run would take about ${Math.ceil(bytes / 1024 ** 2)} MiB (grid 256³, 1 threads, 10 frames); this tier allows 64 MiB ` +
        "(TESSERA_RECONSTRUCTION_MAX_BYTES). Lower grid_resolution, threads or the frames' size.",
    );
  });

  it("FAILED_PRECONDITION naming a DEPTH_MESH model that is not loaded", async () => {
    const image = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#808080" } })
      .png()
      .toBuffer();
    const answer = await refusal([{ start: { method: "DEPTH_MESH", model: { name: "midas" }, image } }]);
    expect(answer).toEqual({
      code: grpc.status.FAILED_PRECONDITION,
      details:
        'DEPTH_MESH needs depth model "midas" loaded on this tier: model "midas" is not loaded in this tier',
      events: 0,
    });
  });

  it("FAILED_PRECONDITION naming what to deploy for TEXT_TO_3D on a tier without a backend", async () => {
    const answer = await refusal([
      { start: { method: "TEXT_TO_3D", model: { name: "shap-e" }, prompt: "a chair" } },
    ]);
    expect(answer).toEqual({
      code: grpc.status.FAILED_PRECONDITION,
      details:
        'model "shap-e" is not loaded on this tier and it has no TRITON_URL: deploy a TEXT_TO_3D model that takes ' +
        "prompt (BYTES, [1]) and answers mesh_glb (BYTES) or density / sdf (FP32, [N, N, N]) on this tier or on " +
        "the Triton server at TRITON_URL (see deploy/shap-e-triton)",
      events: 0,
    });
  });

  it("FAILED_PRECONDITION saying a triton_only model needs TRITON_URL on a tier without one", async () => {
    const answer = await refusal([
      { start: { method: "TEXT_TO_3D", model: { name: "shap-e", triton_only: true }, prompt: "a chair" } },
    ]);
    expect(answer).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, events: 0 });
    expect(answer.details).toMatch(
      /^model "shap-e" may run only on Triton and this tier has no TRITON_URL: /,
    );
  });

  it.each([
    ["an empty prompt", "  ", "TEXT_TO_3D needs a prompt: it is empty"],
    [
      "a prompt over 1,000 characters",
      "a".repeat(1001),
      "The prompt is 1001 characters long; at most 1000 are accepted",
    ],
  ])("INVALID_ARGUMENT for %s", async (_name, prompt, details) => {
    const answer = await refusal([{ start: { method: "TEXT_TO_3D", model: { name: "shap-e" }, prompt } }]);
    expect(answer).toEqual({ code: grpc.status.INVALID_ARGUMENT, details, events: 0 });
  });
});
