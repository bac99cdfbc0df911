import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../support/gateway";
import { blenderArchiveFiles, renderSyntheticScene } from "../../../inference/test/helpers/synthetic-scene";
import { ringOfCameras } from "./poses/pose-fixtures";
import { blenderScene, createScene, photo, startSceneGateway, storedSceneState } from "./scene-archives";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startSceneGateway();
});
afterAll(() => gateway?.stop());

const SCENE = `
  query ($id: ID!) {
    scene(id: $id) {
      id name format background width height frameCount owner { handle }
      bounds { min max }
      frames { id index filePath split width height imageUrl thumbnailUrl
               camera { fx fy cx cy k1 k2 p1 p2 model transform } }
    }
  }`;

interface QueriedFrame {
  id: string;
  index: number;
  filePath: string;
  split: string;
  width: number;
  height: number;
  imageUrl: string;
  thumbnailUrl: string;
  camera: Record<string, number | string | number[]>;
}

async function queryScene(id: string) {
  const body = await gateway.gql<{
    scene: { frames: QueriedFrame[]; bounds: { min: number[]; max: number[] } } & Record<string, unknown>;
  }>(SCENE, { id });
  expect(body.errors).toBeUndefined();
  return body.data!.scene;
}

async function pixelsAt(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("image/png");
  return sharp(Buffer.from(await response.arrayBuffer()))
    .raw()
    .toBuffer({ resolveWithObject: true });
}

describe("createScene", () => {
  it("stores a NeRF-synthetic capture the project renders itself: splits, cameras, bounds and pixels", async () => {
    const rendered = renderSyntheticScene({ width: 16, height: 16, trainViews: 8, heldOutViews: 2, seed: 5 });
    const { files, ...transforms } = blenderArchiveFiles(rendered);
    const created = await createScene(
      gateway,
      { name: "spheres", description: "a render" },
      {
        ...transforms,
        ...Object.fromEntries(files),
      },
    );
    expect(created).toMatchObject({
      scene: {
        name: "spheres",
        public: false,
        background: "#ffffff",
        format: "BLENDER",
        width: 16,
        height: 16,
        frameCount: 10,
      },
      skipped: [],
    });
    const scene = await queryScene(created.scene.id);
    expect(scene.owner).toEqual({ handle: "admin" });
    expect(scene.frames.map((f) => [f.index, f.filePath, f.split])).toEqual([
      ...rendered.train.map((_, i) => [i, `./train/r_${i}`, "TRAIN"]),
      [8, "./test/r_0", "TEST"],
      [9, "./test/r_1", "TEST"],
    ]);
    const focal = 8 / Math.tan(rendered.cameraAngleX / 2);
    const first = scene.frames[0]!;
    expect(first.camera).toMatchObject({ model: "PINHOLE", cx: 8, cy: 8, k1: 0, k2: 0, p1: 0, p2: 0 });
    expect(first.camera.fx).toBeCloseTo(focal, 9);
    expect(first.camera.fy).toBeCloseTo(focal, 9);
    // Within an ulp or so: PostgreSQL's text output of float8 arrays may round the last digit.
    const transform = first.camera.transform as number[];
    Array.from(rendered.train[0]!.camera.cameraToWorld).forEach((v, i) =>
      expect(transform[i]).toBeCloseTo(v, 12),
    );
    // Cameras 4 units from the origin looking at it: centred there, half-size 4·tan(angle/2).
    for (const v of scene.bounds.min) expect(v).toBeCloseTo(-4 * Math.tan(rendered.cameraAngleX / 2), 1);
    for (const v of scene.bounds.max) expect(v).toBeCloseTo(4 * Math.tan(rendered.cameraAngleX / 2), 1);
    // The stored PNG holds exactly the rendered pixels (RGB photos are not changed).
    const { data, info } = await pixelsAt(first.imageUrl);
    expect([info.width, info.height, info.channels]).toEqual([16, 16, 3]);
    expect(Buffer.compare(data, Buffer.from(rendered.train[0]!.rgb))).toBe(0);
    const thumbnail = await fetch(first.thumbnailUrl);
    expect(thumbnail.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).width).toBe(16);
  });

  it("composites RGBA photos on the scene's background before storing them", async () => {
    const created = await createScene(
      gateway,
      { name: "glass", background: "#0000FF" },
      await blenderScene(8, async (i) => {
        if (i > 0) return photo(16, 16, [255, 0, 0], 128);
        // One transparent pixel at (0, 0), the rest half-transparent red.
        const rgba = Buffer.alloc(16 * 16 * 4);
        for (let p = 1; p < 16 * 16; p += 1) rgba.set([255, 0, 0, 128], p * 4);
        return sharp(rgba, { raw: { width: 16, height: 16, channels: 4 } })
          .png()
          .toBuffer();
      }),
    );
    expect(created.scene).toMatchObject({ background: "#0000ff", frameCount: 8 });
    const scene = await queryScene(created.scene.id);
    const { data } = await pixelsAt(scene.frames[0]!.imageUrl);
    expect([...data.subarray(0, 3)]).toEqual([0, 0, 255]);
    // 255·128/255 red over 255·127/255 blue.
    expect([...data.subarray(3, 6)]).toEqual([128, 0, 127]);
  });

  it("stores the 50 photos an instant-ngp capture ships of the 67 it lists, and lists the 17 others", async () => {
    const ring = ringOfCameras(67, 3);
    const transforms = {
      fl_x: 10,
      fl_y: 10.5,
      cx: 6.2,
      cy: 3.9,
      w: 20,
      h: 16,
      k1: 0.01,
      k2: 0,
      p1: 0,
      p2: 0,
      aabb_scale: 4,
      frames: ring.map((matrix, i) => ({
        file_path: `./images/${String(i + 1).padStart(4, "0")}.jpg`,
        transform_matrix: matrix,
      })),
    };
    const files: Record<string, Buffer | object> = { "fox/transforms.json": transforms };
    const shipped = ring
      .map((_, i) => i)
      .filter((i) => i % 4 !== 3 || i >= 68)
      .slice(0, 50);
    for (const i of shipped)
      files[`fox/images/${String(i + 1).padStart(4, "0")}.jpg`] = await photo(
        20,
        16,
        [200, 120, 40],
        255,
        "jpeg",
      );
    const before = await storedSceneState(gateway);
    const created = await createScene(gateway, { name: "fox" }, files);
    expect(created.scene).toMatchObject({
      format: "INSTANT_NGP",
      frameCount: 50,
      aabbScale: 4,
      width: 20,
      height: 16,
    });
    const missing = ring.map((_, i) => i).filter((i) => !shipped.includes(i));
    expect(created.skipped).toEqual(
      missing.map((i) => ({
        path: `./images/${String(i + 1).padStart(4, "0")}.jpg`,
        reason: "The photo is not in the archive",
      })),
    );
    expect(created.skipped).toHaveLength(17);
    const after = await storedSceneState(gateway);
    expect(after.frames - before.frames).toBe(50);
    const frames = await gateway.prisma.sceneFrame.findMany({
      where: { sceneId: created.scene.id },
      orderBy: { index: "asc" },
    });
    expect(frames[0]).toMatchObject({ cameraModel: "OPENCV", fx: 10, fy: 10.5, cx: 6.2, cy: 3.9, k1: 0.01 });
    expect(frames.map((f) => f.index)).toEqual([...Array(50).keys()]);
  });

  it("skips photos that are undecodable or of another size than their camera says", async () => {
    const ring = ringOfCameras(10, 3);
    const files: Record<string, Buffer | object> = {
      "transforms.json": {
        camera_model: "PINHOLE",
        fl_x: 9,
        fl_y: 9,
        cx: 10,
        cy: 8,
        w: 20,
        h: 16,
        frames: ring.map((matrix, i) => ({ file_path: `images/${i}.png`, transform_matrix: matrix })),
      },
    };
    for (let i = 0; i < 10; i += 1) files[`images/${i}.png`] = await photo(20, 16, [10, 20, 30]);
    files["images/3.png"] = Buffer.from("this is not a png");
    files["images/7.png"] = await photo(40, 32, [10, 20, 30]);
    const created = await createScene(gateway, { name: "nerfstudio" }, files);
    expect(created.scene).toMatchObject({ format: "NERFSTUDIO", frameCount: 8 });
    expect(created.skipped).toEqual([
      { path: "images/3.png", reason: "The photo cannot be decoded: expected a PNG or JPEG image" },
      { path: "images/7.png", reason: "The photo is 40×32 pixels; its camera (w, h) says 20×16" },
    ]);
  });

  it("skips photos with a side under 16 px: held-out views are scored with an 11×11 SSIM window", async () => {
    const files = await blenderScene(10, (i) =>
      photo(i === 2 ? 15 : 16, i === 9 ? 15 : 16, [i * 20, 20, 30]),
    );
    const created = await createScene(gateway, { name: "tiny" }, files);
    expect(created.scene).toMatchObject({ frameCount: 8, width: 16, height: 16 });
    expect(created.skipped).toEqual([
      {
        path: "./train/r_2",
        reason: "The photo is 15×16 pixels; frames need at least 16 pixels on each side",
      },
      {
        path: "./train/r_9",
        reason: "The photo is 16×15 pixels; frames need at least 16 pixels on each side",
      },
    ]);
  });
});
