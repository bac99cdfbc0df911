import { describe, expect, it } from "vitest";
import { framePhotoPath, isNerfstudio, locatePoses, parsePoses } from "../../../src/scenes/poses/find-poses";
import { badInputOf } from "./pose-fixtures";

describe("locatePoses", () => {
  it("finds NeRF-synthetic split files at the root, with the siblings present", () => {
    expect(locatePoses(["transforms_train.json", "transforms_test.json", "train/r_0.png"])).toEqual({
      kind: "blender",
      folder: "",
      files: [
        { split: "TRAIN", path: "transforms_train.json" },
        { split: "TEST", path: "transforms_test.json" },
      ],
    });
  });

  it("finds a transforms.json in one top-level folder, ignoring macOS metadata", () => {
    expect(
      locatePoses(["fox/transforms.json", "fox/images/1.jpg", "__MACOSX/fox/._transforms.json"]),
    ).toEqual({
      kind: "transforms",
      folder: "fox",
      path: "fox/transforms.json",
    });
  });

  it("does not look deeper than one folder, and says when there are no poses", () => {
    expect(locatePoses(["a/b/transforms.json", "photo.jpg"])).toEqual({ kind: "none" });
  });

  it("refuses transforms in several folders", () => {
    expect(badInputOf(() => locatePoses(["a/transforms.json", "b/transforms_train.json"])).message).toBe(
      "The archive holds transforms in several folders (a, b); upload one scene per archive",
    );
  });
});

describe("parsePoses", () => {
  it("refuses transforms that are not JSON, naming the file", async () => {
    await expect(
      parsePoses({ kind: "transforms", folder: "", path: "transforms.json" }, async () =>
        Buffer.from("{ frames: ["),
      ),
    ).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringMatching(/^transforms.json is not JSON: /),
    });
  });

  it("tells nerfstudio's transforms from instant-ngp's", () => {
    expect(isNerfstudio({ camera_model: "OPENCV", frames: [] })).toBe(true);
    expect(isNerfstudio({ fl_x: 1, frames: [{ file_path: "a", fl_x: 2 }] })).toBe(true);
    expect(isNerfstudio({ fl_x: 1, aabb_scale: 16, frames: [{ file_path: "a" }] })).toBe(false);
  });
});

describe("framePhotoPath", () => {
  const archive = new Set(["scene/train/r_0.png", "scene/train/r_1.jpeg", "scene/images/a.JPG", "top.png"]);
  const exists = (path: string) => archive.has(path);

  it("resolves paths against the transforms' folder, adding .png, .jpg or .jpeg when missing", () => {
    expect(framePhotoPath("scene", "./train/r_0", exists)).toBe("scene/train/r_0.png");
    expect(framePhotoPath("scene", "./train/r_1", exists)).toBe("scene/train/r_1.jpeg");
    expect(framePhotoPath("scene", "images/a.JPG", exists)).toBe("scene/images/a.JPG");
    expect(framePhotoPath("scene", "../top.png", exists)).toBe("top.png");
    expect(framePhotoPath("scene", "./train/r_2", exists)).toBeNull();
  });

  it("refuses a path that leaves the archive", () => {
    expect(badInputOf(() => framePhotoPath("scene", "../../etc/passwd", exists))).toEqual({
      code: "BAD_USER_INPUT",
      message: 'The frame path "../../etc/passwd" leaves the archive',
    });
  });
});
