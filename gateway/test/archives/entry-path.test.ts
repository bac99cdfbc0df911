import { describe, expect, it } from "vitest";
import { isHiddenPath, isMacOsMetadata, normalizeEntryPath } from "../../src/archives/entry-path";

describe("normalizeEntryPath", () => {
  it.each([
    ["a/b.txt", "a/b.txt", false],
    ["./a/./b.txt", "a/b.txt", false],
    ["a//b.txt", "a/b.txt", false],
    ["a\\b.txt", "a/b.txt", false],
    ["folder/", "folder", true],
    ["./", "", true],
    ["cafe\u0301", "caf\u00e9", false],
    ["..data/x", "..data/x", false],
  ])("normalises %j to %j", (raw, path, isDirectory) => {
    expect(normalizeEntryPath(raw)).toEqual({ path, isDirectory });
  });

  it.each([
    ["../x", "must stay inside"],
    ["a/../../x", "must stay inside"],
    ["a\\..\\..\\x", "must stay inside"],
    ["/x", "absolute path"],
    ["\\x", "absolute path"],
    ["D:/x", "drive letter"],
    ["x\0y", "NUL byte"],
    ["x\ny", "control character"],
  ])("rejects %j", (raw, reason) => {
    expect(() => normalizeEntryPath(raw)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
    expect(() => normalizeEntryPath(raw)).toThrow(reason);
  });
});

describe("archive clutter", () => {
  it("recognises what macOS adds to a zipped folder", () => {
    expect(isMacOsMetadata("__MACOSX/images/._cat.jpg")).toBe(true);
    expect(isMacOsMetadata("images/.DS_Store")).toBe(true);
    expect(isMacOsMetadata("images/._cat.jpg")).toBe(true);
    expect(isMacOsMetadata("images/cat.jpg")).toBe(false);
  });

  it("recognises dot-files and anything in dot-folders", () => {
    expect(isHiddenPath(".gitignore")).toBe(true);
    expect(isHiddenPath("data/.ipynb_checkpoints/a.ipynb")).toBe(true);
    expect(isHiddenPath("data/train/cat.1.jpg")).toBe(false);
  });
});
