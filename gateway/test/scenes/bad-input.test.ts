import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../support/gateway";
import { pixelBombPng } from "../support/texture-dataset";
import { craftZip } from "../archives/craft-zip";
import { ringOfCameras } from "./poses/pose-fixtures";
import {
  blenderScene,
  photo,
  postScene,
  startSceneGateway,
  storedSceneState,
  zipScene,
  type ArchiveFiles,
} from "./scene-archives";

let gateway: TestGateway;
let good: ArchiveFiles;
beforeAll(async () => {
  gateway = await startSceneGateway();
  good = await blenderScene(8, () => photo(16, 16, [90, 160, 30]));
});
afterAll(() => gateway?.stop());

const transformsOf = (files: ArchiveFiles) =>
  files["transforms_train.json"] as { frames: Array<Record<string, unknown>> };
const withTransforms = (change: (t: Record<string, unknown>) => object): ArchiveFiles => ({
  ...good,
  "transforms_train.json": change(structuredClone(transformsOf(good)) as Record<string, unknown>),
});
const withFrame = (index: number, change: object) =>
  withTransforms((t) => {
    const frames = t.frames as object[];
    frames[index] = { ...frames[index], ...change };
    return t;
  });

/** Each refused archive, what the error must say, and nothing may be stored for it. */
const cases: Array<[string, () => Promise<Buffer>, RegExp, Record<string, unknown>?]> = [
  [
    "a ZIP without transforms (and no COLMAP on the server)",
    async () => zipScene(Object.fromEntries(Object.entries(good).filter(([path]) => path.endsWith(".png")))),
    /^The archive has no camera poses .*COLMAP is not installed.*ns-process-data images.*colmap2nerf\.py/,
  ],
  [
    "transforms that are not JSON",
    async () =>
      zipScene({ ...good, "transforms_train.json": Buffer.from('{"camera_angle_x": 0.7, "frames": [') }),
    /^transforms_train\.json is not JSON: /,
  ],
  [
    "a matrix that is not 4×4",
    async () => zipScene(withFrame(2, { transform_matrix: ringOfCameras(1, 4)[0]!.slice(0, 3) })),
    /^transforms_train\.json frames\[2\] "transform_matrix" must be a 4×4 matrix of numbers$/,
  ],
  [
    "a matrix that is not rigid",
    async () => {
      const scaled = ringOfCameras(1, 4)[0]!.map((row, i) =>
        i < 3 ? row.map((x, j) => (j < 3 ? 2 * x : x)) : row,
      );
      return zipScene(withFrame(5, { transform_matrix: scaled }));
    },
    /^transforms_train\.json frames\[5\] "transform_matrix" is not rigid: its rotation must be orthonormal within 0\.001/,
  ],
  [
    "intrinsics missing",
    async () => zipScene(withTransforms((t) => ({ ...t, camera_angle_x: undefined }))),
    /^transforms_train\.json has no "camera_angle_x": the intrinsics are missing$/,
  ],
  [
    "intrinsics ≤ 0",
    async () => {
      const frames = ringOfCameras(8, 3).map((m, i) => ({
        file_path: `train/r_${i}.png`,
        transform_matrix: m,
      }));
      const photos = Object.entries(good).filter(([path]) => path.endsWith(".png"));
      return zipScene({ ...Object.fromEntries(photos), "transforms.json": { fl_x: 0, frames } });
    },
    /^transforms\.json "fl_x" must be a number greater than 0, got 0$/,
  ],
  [
    "fewer than 8 usable frames",
    async () => zipScene({ ...good, "train/r_7.png": Buffer.from("not an image") }),
    /^Only 7 frame\(s\) have a usable photo; a scene needs at least 8 \(1 skipped\)$/,
  ],
  [
    "photos all narrower than 16 px (too small for SSIM's window)",
    async () => zipScene(await blenderScene(8, () => photo(15, 16, [90, 160, 30]))),
    /^Only 0 frame\(s\) have a usable photo; a scene needs at least 8 \(8 skipped\)$/,
  ],
  [
    "photos of mixed sizes",
    async () =>
      zipScene({
        ...good,
        "train/r_1.png": await photo(20, 20, [1, 2, 3]),
        "train/r_6.png": await photo(20, 20, [1, 2, 3]),
      }),
    /^The photos are of mixed sizes \(6 are 16×16, 2 are 20×20\); every photo of a scene must have one size$/,
  ],
  [
    "a path escaping the archive",
    async () =>
      craftZip([
        { name: "transforms_train.json", content: Buffer.from(JSON.stringify(transformsOf(good))) },
        { name: "../../escape/evil.png", content: good["train/r_0.png"] as Buffer },
      ]),
    /^Archive entry "\.\.\/\.\.\/escape\/evil\.png" contains "\.\.": entries must stay inside the archive$/,
  ],
  [
    "a pixel bomb",
    async () => zipScene({ ...good, "train/r_3.png": pixelBombPng(100_000, 100_000) }),
    /^The photo train\/r_3\.png is 100000×100000 pixels; at most 50000000 pixels are accepted$/,
  ],
  [
    "a background that is not #rrggbb",
    async () => zipScene(good),
    /^input\.background must be a colour "#rrggbb", got "#fff"$/,
    { background: "#fff" },
  ],
  [
    "a file that is not a ZIP",
    async () => Buffer.from("just text, not an archive"),
    /^The archive is not a ZIP file$/,
  ],
];

describe("createScene refuses bad input with BAD_USER_INPUT and stores nothing", () => {
  it.each(cases)("%s", async (_, archive, message, input = {}) => {
    const before = await storedSceneState(gateway);
    const body = await postScene(gateway, { name: "refused", ...input }, await archive());
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
      message: expect.stringMatching(message),
    });
    expect(await storedSceneState(gateway)).toEqual(before);
  });

  it("still accepts the archive the cases above were made from", async () => {
    const body = await postScene(gateway, { name: "accepted" }, await zipScene(good));
    expect(body.errors).toBeUndefined();
    expect(body.data!.createScene.scene.frameCount).toBe(8);
  });
});
