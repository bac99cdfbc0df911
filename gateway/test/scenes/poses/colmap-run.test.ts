import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Logger } from "../../../src/logger";
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

/** A stand-in that fails `step` the way COLMAP does (a message naming its paths, exit 1). */
async function failingColmap(name: string, script: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return file;
}

const advice =
  "; photos need overlap and texture (each sharing much of its view with others, of a still, textured " +
  "subject). Take more overlapping photos, or upload a transforms.json";

describe("poseWithColmap on photos COLMAP cannot pose", () => {
  it.each([
    ["feature_extractor", "feature_extractor failed"],
    ["exhaustive_matcher", "exhaustive_matcher failed"],
    ["mapper", "mapper failed"],
    ["model_converter", "model_converter failed"],
  ])("answers BAD_USER_INPUT naming the step when %s fails, and logs the details", async (step, what) => {
    const colmap = await failingColmap(
      `colmap-${step}`,
      `out=""; for a in "$@"; do [ "$prev" = "--output_path" ] && out="$a"; prev="$a"; done
[ "$1" = "mapper" ] && mkdir -p "$out/0"
[ "$1" = "${step}" ] && { echo "E1207 ${dir}/secret: no good $*" >&2; exit 1; }
exit 0`,
    );
    const warn = vi.fn();
    const work = await mkdtemp(path.join(dir, "work-"));
    const failure = await poseWithColmap(colmap, path.join(dir, "images-none"), work, undefined, {
      warn,
    } as unknown as Logger).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: "BAD_USER_INPUT",
      message: `COLMAP could not pose these photos: ${what}${advice}`,
    });
    expect((failure as Error).message).not.toContain(dir);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({
      step,
      stderr: expect.stringContaining(`${dir}/secret: no good ${step}`),
    });
  });

  it("answers BAD_USER_INPUT when the mapper finishes without a model", async () => {
    const colmap = await failingColmap("colmap-no-model", "exit 0");
    const failure = await poseWithColmap(colmap, dir, await mkdtemp(path.join(dir, "work-"))).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({
      code: "BAD_USER_INPUT",
      message: `COLMAP could not pose these photos: mapper found no model${advice}`,
    });
  });
});
