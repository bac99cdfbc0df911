import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { compileFilePattern, fileMatcher } from "../../src/models/file-patterns";

const repo = [
  "config.json",
  "model.onnx",
  "onnx/model.onnx",
  "onnx/model_fp16.onnx",
  "onnx/sub/extra.json",
  "tokenizer.json",
  "README.md",
  ".gitattributes",
  "weights[1].bin",
];

const select = (allowPatterns?: string[], ignorePatterns?: string[]) =>
  repo.filter(fileMatcher({ allowPatterns, ignorePatterns }));

describe("file patterns (huggingface_hub / fnmatch semantics)", () => {
  it("lets * cross folders, as huggingface_hub's allow_patterns do", () => {
    expect(select(["*.onnx"])).toEqual(["model.onnx", "onnx/model.onnx", "onnx/model_fp16.onnx"]);
    expect(select(["onnx/*.json"])).toEqual(["onnx/sub/extra.json"]);
  });

  it("selects everything under a folder for a pattern ending in /", () => {
    expect(select(["onnx/"])).toEqual(["onnx/model.onnx", "onnx/model_fp16.onnx", "onnx/sub/extra.json"]);
  });

  it("supports ? and character sets, and treats other characters literally", () => {
    expect(select(["onnx/model_fp1?.onnx"])).toEqual(["onnx/model_fp16.onnx"]);
    expect(select(["[ct]*.json"])).toEqual(["config.json", "tokenizer.json"]);
    expect(select(["[!ct]*.json"])).toEqual(["onnx/sub/extra.json"]);
    expect(select(["weights[[]1].bin"])).toEqual(["weights[1].bin"]);
    expect(select(["model.onnx"])).toEqual(["model.onnx"]);
    expect(select(["model?onnx"])).toEqual(["model.onnx"]);
    expect(compileFilePattern("a+b(c)").test("a+b(c)")).toBe(true);
  });

  it("keeps everything when no allow pattern is given, then drops ignored paths", () => {
    expect(select()).toEqual(repo);
    expect(select([], ["*.onnx", ".*", "*.md"])).toEqual([
      "config.json",
      "onnx/sub/extra.json",
      "tokenizer.json",
      "weights[1].bin",
    ]);
  });

  it("rejects an empty pattern and an impossible character range", () => {
    for (const pattern of ["", "[z-a].onnx"]) {
      expect(() => compileFilePattern(pattern)).toThrow(AppError);
    }
  });
});
