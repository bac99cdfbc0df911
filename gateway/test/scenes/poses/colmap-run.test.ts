import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findColmap, poseWithColmap } from "../../../src/scenes/poses/colmap-run";

/**
 * COLMAP is not installed here: a stand-in script records each call and, like COLMAP, leaves a
 * model in sparse/0 after `mapper` and the text export after `model_converter`.
 */
const fakeColmap = `#!/bin/sh
echo "$*" >> "$(dirname "$0")/calls.log"
case "$1" in
  mapper) out=""; while [ $# -gt 0 ]; do [ "$1" = "--output_path" ] && out="$2"; shift; done; mkdir -p "$out/0" ;;
  model_converter) out=""; while [ $# -gt 0 ]; do [ "$1" = "--output_path" ] && out="$2"; shift; done
    printf '1 PINHOLE 8 6 9 9 4 3\\n' > "$out/cameras.txt"
    printf '# header\\n1 1 0 0 0 0 0 0 1 b.png\\n\\n2 1 0 0 0 -1 -2 -3 1 a.png\\n1 2 3\\n' > "$out/images.txt" ;;
esac
`;

let dir: string;
let colmap: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fake-colmap-"));
  colmap = path.join(dir, "colmap");
  await writeFile(colmap, fakeColmap);
  await chmod(colmap, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("findColmap", () => {
  it("takes TESSERA_COLMAP_BIN when set, else searches PATH, else finds none", async () => {
    expect(await findColmap(colmap, undefined)).toBe(colmap);
    expect(await findColmap(undefined, ["/nonexistent", dir].join(path.delimiter))).toBe(colmap);
    expect(await findColmap("/nonexistent/colmap", dir)).toBeNull();
    expect(await findColmap(undefined, "/nonexistent")).toBeNull();
  });
});

describe("poseWithColmap", () => {
  it("runs the steps ns-process-data runs, then reads the text model", async () => {
    const images = path.join(dir, "images");
    await mkdir(images);
    const work = path.join(dir, "work");
    const poses = await poseWithColmap(colmap, images, work);
    const calls = (await readFile(path.join(dir, "calls.log"), "utf8")).trim().split("\n");
    expect(calls.map((call) => call.split(" ")[0])).toEqual([
      "feature_extractor",
      "exhaustive_matcher",
      "mapper",
      "model_converter",
    ]);
    expect(calls[0]).toContain(
      `--image_path ${images} --ImageReader.single_camera 1 --ImageReader.camera_model OPENCV`,
    );
    expect(calls[3]).toContain(`--input_path ${path.join(work, "sparse", "0")}`);
    expect(calls[3]).toContain("--output_type TXT");
    expect(poses.format).toBe("COLMAP");
    expect(poses.frames.map((f) => [f.filePath, f.transform[3], f.transform[7], f.transform[11]])).toEqual([
      ["a.png", 1, 3, -2],
      ["b.png", 0, 0, 0],
    ]);
  });
});
