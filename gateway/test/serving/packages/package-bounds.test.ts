import { describe, expect, it } from "vitest";
import { limits } from "../../../src/limits";
import {
  packageFilesProblem,
  testTensorCountProblem,
  testTensorProblem,
} from "../../../src/serving/packages/package-bounds";

const config = { maxEntries: 10, maxUncompressedBytes: 1_000_000_000, maxCompressionRatio: 100 };
const file = (path: string, sizeBytes: number, generated = true) => ({ path, sizeBytes, generated });

describe("what an export checks against its own import's bounds", () => {
  it("refuses a test tensor over packageTestValues and more tensors than packageTestTensors, naming them", () => {
    const max = limits.serving.packageTestValues;
    expect(testTensorProblem("output", "scores", max)).toBeNull();
    expect(testTensorProblem("output", "scores", max + 1)).toBe(
      `its output "scores" holds ${max + 1} values; a package's test tensor holds at most ${max}`,
    );
    expect(testTensorCountProblem("outputs", limits.serving.packageTestTensors)).toBeNull();
    expect(testTensorCountProblem("inputs", 17)).toBe(
      "the model has 17 inputs; a package's test pair holds at most 16",
    );
  });

  it("refuses a generated file over packageFileBytes, too many files, or more bytes than an import unpacks", () => {
    const max = limits.serving.packageFileBytes;
    // A model file may be larger than a generated one: it is streamed, never read whole.
    expect(
      packageFilesProblem([file("metadata.json", max), file("model/m.onnx", max * 4, false)], config),
    ).toBeNull();
    expect(packageFilesProblem([file("test_data/output_0.npy", max + 1)], config)).toBe(
      `"test_data/output_0.npy" would hold ${max + 1} bytes; a package's test_data/output_0.npy holds at most ${max}`,
    );
    const many = Array.from({ length: 10 }, (_, i) => file(`model/${i}.bin`, 1, false));
    expect(packageFilesProblem(many, config)).toBe(
      "the version has 10 files; a package holds at most 9 besides its manifest",
    );
    const big = [file("model/a.onnx", 600_000_000, false), file("model/b.bin", 600_000_000, false)];
    expect(packageFilesProblem(big, config)).toBe(
      "its files hold 1200000000 bytes; an import unpacks at most 1000000000",
    );
  });
});
