import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../support/gateway";
import {
  createScene,
  photo,
  postScene,
  startSceneGateway,
  storedSceneState,
  zipScene,
} from "./scene-archives";

/**
 * A stand-in for COLMAP (not installed here) that "poses" whatever photos it is given: one PINHOLE
 * camera, each photo one unit further along COLMAP's x axis, all looking along its +Z. Photos in
 * an `unposable` folder make feature extraction fail, naming its paths as COLMAP does.
 */
const fakeColmap = `#!/bin/sh
step="$1"; images=""; out=""
while [ $# -gt 0 ]; do
  [ "$1" = "--image_path" ] && images="$2"; [ "$1" = "--output_path" ] && out="$2"; shift
done
case "$step" in
  feature_extractor)
    [ -d "$images/unposable" ] && { echo "E1207 $images/unposable: cannot read" >&2; exit 1; }
    echo "$images" > "$(dirname "$0")/images-dir" ;;
  mapper) mkdir -p "$out/0" ;;
  model_converter)
    printf '1 PINHOLE 24 16 5 5 3 2\\n' > "$out/cameras.txt"
    i=0; : > "$out/images.txt"
    for f in $(cd "$(cat "$(dirname "$0")/images-dir")" && find . -type f | sed 's|^./||' | sort); do
      i=$((i + 1)); printf '%s 1 0 0 0 %s 0 0 1 %s\\n\\n' "$i" "-$i" "$f" >> "$out/images.txt"
    done ;;
esac
`;

let dir: string;
let gateway: TestGateway;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fake-colmap-"));
  await writeFile(path.join(dir, "colmap"), fakeColmap);
  await chmod(path.join(dir, "colmap"), 0o755);
  gateway = await startSceneGateway(path.join(dir, "colmap"));
});
afterAll(async () => {
  await gateway?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("createScene without poses, with COLMAP on the server", () => {
  it("poses the photos with COLMAP and stores them as a COLMAP scene", async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 8; i += 1)
      files[`shots/${i}.jpg`] = await photo(24, 16, [i * 30, 90, 60], 255, "jpeg");
    files["notes.txt"] = Buffer.from("not a photo");
    const created = await createScene(gateway, { name: "posed here" }, files);
    expect(created).toMatchObject({
      scene: { format: "COLMAP", frameCount: 8, width: 24, height: 16 },
      skipped: [],
    });
    const frames = await gateway.prisma.sceneFrame.findMany({
      where: { sceneId: created.scene.id },
      orderBy: { index: "asc" },
    });
    expect(frames.map((f) => f.filePath)).toEqual([...Array(8).keys()].map((i) => `shots/${i}.jpg`));
    // COLMAP's centre (i, 0, 0) for tx = −i; nerfstudio's world keeps x; the camera looks along +Y.
    expect(frames.map((f) => f.transform[3])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(frames[0]).toMatchObject({ cameraModel: "PINHOLE", fx: 5, fy: 5, cx: 3, cy: 2 });
  });

  it("answers BAD_USER_INPUT naming the failed step, without paths, when COLMAP fails", async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 8; i += 1)
      files[`unposable/${i}.jpg`] = await photo(24, 16, [i * 30, 9, 6], 255, "jpeg");
    const before = await storedSceneState(gateway);
    const body = await postScene(gateway, { name: "unposable" }, await zipScene(files));
    expect(body.errors![0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
      message:
        "COLMAP could not pose these photos: feature_extractor failed; photos need overlap and texture " +
        "(each sharing much of its view with others, of a still, textured subject). Take more " +
        "overlapping photos, or upload a transforms.json",
    });
    expect(await storedSceneState(gateway)).toEqual(before);
  });
});
