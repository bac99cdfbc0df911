import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeNpy, encodeNpy, type NpyTensor } from "../../../src/serving/packages/npy";
import {
  ONNX_RUNS_AT_ONCE,
  onnxRunsActive,
  runOnnx,
  stopOnnxRuns,
} from "../../../src/serving/packages/onnx-run";
import { deterministicInput, outputMismatch } from "../../../src/serving/packages/test-pair";
import { buildColourClassifier } from "../../inference/inference-api";
import { colourScores } from "./package-fixture";

const tensor = (values: number[], dims = [values.length]): NpyTensor => ({
  type: "float32",
  dims,
  data: Float32Array.from(values),
});

const hasNumpy = (() => {
  try {
    execFileSync("python3", ["-c", "import numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe(".npy", () => {
  it("writes NumPy's version 1.0 header, padded to 64 bytes, and reads it back", () => {
    const bytes = encodeNpy(tensor([1, 2, 3, 4, 5, 6], [2, 3]));
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]));
    expect(bytes.toString("latin1", 10, 10 + bytes.readUInt16LE(8)).trimEnd()).toBe(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
    );
    expect((10 + bytes.readUInt16LE(8)) % 64).toBe(0);
    const read = decodeNpy(bytes, "t.npy", 100);
    expect([read.type, read.dims, [...read.data]]).toEqual(["float32", [2, 3], [1, 2, 3, 4, 5, 6]]);
    const ints = decodeNpy(
      encodeNpy({ type: "int64", dims: [2], data: BigInt64Array.from([7n, -1n]) }),
      "i.npy",
      10,
    );
    expect([...ints.data]).toEqual([7n, -1n]);
  });

  it.skipIf(!hasNumpy)("is what numpy.load reads", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "npy-"));
    try {
      const file = path.join(dir, "t.npy");
      await writeFile(file, encodeNpy(tensor([0.5, -2], [1, 2])));
      const printed = execFileSync("python3", [
        "-c",
        `import numpy; a = numpy.load("${file}"); print(a.dtype, a.shape, a.tolist())`,
      ]);
      expect(printed.toString().trim()).toBe("float32 (1, 2) [[0.5, -2.0]]");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a file whose data does not fill its shape, and one over the value bound, naming it", () => {
    const bytes = encodeNpy(tensor([1, 2, 3]));
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 4), "test_data/x.npy", 100)).toThrow(
      "test_data/x.npy is not a usable .npy tensor: shape (3,) needs 12 data bytes but the file holds 8",
    );
    expect(() => decodeNpy(bytes, "big.npy", 2)).toThrow("it holds 3 values; at most 2 are allowed");
    expect(() => decodeNpy(Buffer.from("PK"), "m.npy", 2)).toThrow("the NumPy magic string is missing");
  });
});

describe("the test pair", () => {
  it("is the same seeded input every time, free dimensions 1 for the batch and 8 elsewhere", () => {
    const a = deterministicInput({ name: "x", dataType: "float32", shape: [-1, 3, -1, -1] }, 1);
    const b = deterministicInput({ name: "x", dataType: "float32", shape: [-1, 3, -1, -1] }, 1);
    expect(a.dims).toEqual([1, 3, 8, 8]);
    expect([...a.data]).toEqual([...b.data]);
    const values = [...(a.data as Float32Array)];
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it("accepts outputs within 1e-4 + 1e-3·|expected| and names the first value outside", () => {
    expect(outputMismatch(tensor([1, 0.5]), tensor([1.0011, 0.5005]))).toBeNull();
    expect(outputMismatch(tensor([1, 0.5]), tensor([1, 0.502]))).toMatch(/^value 1 is 0\.50199/);
    expect(outputMismatch(tensor([1, 2], [1, 2]), tensor([1, 2], [2, 1]))).toBe(
      "expected shape [1, 2], the model gave [2, 1]",
    );
    expect(outputMismatch(tensor([Number.NaN]), tensor([Number.NaN]))).toBeNull();
  });

  it("runs through ONNX Runtime in a child process and reproduces the classifier's scores", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "onnx-run-"));
    try {
      const modelPath = path.join(dir, "model.onnx");
      await writeFile(modelPath, buildColourClassifier());
      const image = deterministicInput({ name: "image", dataType: "float32", shape: [-1, 3, 8, 8] }, 1);
      const run = await runOnnx(modelPath, { image });
      expect(run.ok).toBe(true);
      const [scores] = run.ok ? run.outputs : [];
      expect(scores?.name).toBe("scores");
      expect(outputMismatch(colourScores(image), scores!.tensor!)).toBeNull();
      const wrong = await runOnnx(modelPath, { nope: image });
      expect(wrong.ok).toBe(false);
      // An output over maxValues comes back without its data, saying how big it was.
      const capped = await runOnnx(modelPath, { image }, { maxValues: 1 });
      expect(capped.ok && capped.outputs.map((o) => [o.name, o.values, o.tensor])).toEqual([
        ["scores", scores!.tensor!.data.length, null],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs at most two children at once, drops a cancelled run, and kills every child on stop", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "onnx-run-"));
    try {
      const modelPath = path.join(dir, "model.onnx");
      await writeFile(modelPath, buildColourClassifier());
      const image = deterministicInput({ name: "image", dataType: "float32", shape: [-1, 3, 8, 8] }, 1);
      const cancelled = new AbortController();
      const runs = [
        runOnnx(modelPath, { image }),
        runOnnx(modelPath, { image }, { signal: cancelled.signal }),
        runOnnx(modelPath, { image }, { signal: cancelled.signal }),
        runOnnx(modelPath, { image }),
      ];
      // The two granted runs spawn their children once the queue's promises have settled.
      await new Promise((resolve) => setImmediate(resolve));
      expect(onnxRunsActive()).toBe(ONNX_RUNS_AT_ONCE);
      // The second is running (its child killed), the third still queued: both end as cancelled.
      cancelled.abort(new Error("the client went away"));
      stopOnnxRuns();
      const settled = await Promise.allSettled(runs);
      expect(settled.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "ran"))).toEqual([
        "The gateway is stopping; try again",
        "the client went away",
        "the client went away",
        "The gateway is stopping; try again",
      ]);
      expect(onnxRunsActive()).toBe(0);
      // Later runs start afresh.
      expect((await runOnnx(modelPath, { image })).ok).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
