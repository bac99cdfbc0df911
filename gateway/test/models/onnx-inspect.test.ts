import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import onnxProto from "onnx-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OnnxGraphBuilder } from "@tessera/onnx";
import { buildFixedBatchClassifier, buildLinearClassifier, buildTinyCnn } from "@tessera/onnx/fixtures";
import { inspectOnnx, parseLabels, ultralyticsNames } from "../../src/models/onnx-inspect";

const { ModelProto } = onnxProto.onnx;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "onnx-inspect-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const filePath = path.join(dir, name);
  await writeFile(filePath, bytes);
  return filePath;
}

describe("inspectOnnx on valid models", () => {
  it("reads the linear classifier's tensors, parameters, opset and labels", async () => {
    const inspection = await inspectOnnx(await file("linear.onnx", buildLinearClassifier().toBytes()));
    expect(inspection).toEqual({
      valid: true,
      inputs: [{ name: "input", dataType: "FLOAT32", shape: ["batch", 4] }],
      outputs: [{ name: "probabilities", dataType: "FLOAT32", shape: ["batch", 3] }],
      inputShape: ["batch", 4],
      outputShape: ["batch", 3],
      numParameters: 15,
      opset: 13,
      irVersion: 8,
      producer: "tessera",
      producerVersion: "",
      labels: ["cat", "dog", "bird"],
      metadata: { labels: '["cat","dog","bird"]' },
    });
  });

  it("reports a fixed batch as a number", async () => {
    const inspection = await inspectOnnx(await file("fixed.onnx", buildFixedBatchClassifier().toBytes()));
    expect(inspection).toMatchObject({ valid: true, inputShape: [1, 4], outputShape: [1, 3] });
  });

  it("counts every initializer of the tiny CNN and finds no labels", async () => {
    const inspection = await inspectOnnx(await file("cnn.onnx", buildTinyCnn().toBytes()));
    expect(inspection).toMatchObject({
      valid: true,
      inputs: [{ name: "image", dataType: "FLOAT32", shape: ["batch", 3, 8, 8] }],
      outputs: [{ name: "logits", dataType: "FLOAT32", shape: ["batch", 3] }],
      numParameters: 4 * 3 * 3 * 3 + 4 + 3 * 4 + 3,
      labels: [],
      metadata: {},
    });
  });

  it("reads comma-separated `categories`", async () => {
    const bytes = buildLinearClassifier({
      metadata: { categories: " cat, dog ,bird ", author: "me" },
    }).toBytes();
    const inspection = await inspectOnnx(await file("categories.onnx", bytes));
    expect(inspection).toMatchObject({
      valid: true,
      labels: ["cat", "dog", "bird"],
      metadata: { categories: " cat, dog ,bird ", author: "me" },
    });
  });

  it("marks a dynamic dimension without a name as -1 and leaves out initializers listed as inputs", async () => {
    const model = ModelProto.decode(buildLinearClassifier().addInput("weights", "float32", [3, 4]).toBytes());
    const input = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim;
    if (input) input[0] = new onnxProto.onnx.TensorShapeProto.Dimension();
    const inspection = await inspectOnnx(await file("anonymous.onnx", ModelProto.encode(model).finish()));
    expect(inspection).toMatchObject({
      valid: true,
      inputs: [{ name: "input", dataType: "FLOAT32", shape: [-1, 4] }],
      inputShape: [-1, 4],
    });
  });
});

describe("ultralyticsNames", () => {
  it("reads a Python dict's repr by index, with either quote and escapes", () => {
    expect(ultralyticsNames(`{0: 'person', 2: "driver's seat", 1: 'bi\\'cycle'}`)).toEqual([
      "person",
      "bi'cycle",
      "driver's seat",
    ]);
  });

  it("names a missing index class_<n> and reads nothing from other text", () => {
    expect(ultralyticsNames("{1: 'car'}")).toEqual(["class_0", "car"]);
    expect(ultralyticsNames("person, car")).toEqual([]);
    expect(ultralyticsNames(undefined)).toEqual([]);
  });
});

describe("inspectOnnx on files that are not loadable models", () => {
  it("reports an empty file", async () => {
    expect(await inspectOnnx(await file("empty.onnx", ""))).toEqual({
      valid: false,
      reason: "empty.onnx is empty; expected an ONNX model (a serialized ModelProto)",
    });
  });

  it("reports bytes that are not protobuf", async () => {
    const inspection = await inspectOnnx(
      await file("corrupt.onnx", Buffer.from("ffffffffffffffff0a0b", "hex")),
    );
    expect(inspection).toEqual({
      valid: false,
      reason: expect.stringMatching(/^corrupt\.onnx is not an ONNX model: /),
    });
  });

  it("reports a truncated model", async () => {
    const bytes = buildTinyCnn().toBytes();
    const inspection = await inspectOnnx(await file("truncated.onnx", bytes.subarray(0, bytes.length / 2)));
    expect(inspection).toEqual({
      valid: false,
      reason: expect.stringMatching(/^truncated\.onnx is not an ONNX model: index out of range/),
    });
  });

  it("reports a protobuf that holds no graph", async () => {
    const bytes = ModelProto.encode({ irVersion: 8, producerName: "nothing" }).finish();
    expect(await inspectOnnx(await file("no-graph.onnx", bytes))).toEqual({
      valid: false,
      reason: "no-graph.onnx decodes as protobuf but holds no ONNX graph",
    });
  });

  it("gives ONNX Runtime's reason for an unknown operator", async () => {
    const bytes = new OnnxGraphBuilder()
      .addInput("x", "float32", [1, 2])
      .addNode({ op: "NoSuchOperator", inputs: ["x"], outputs: ["y"] })
      .addOutput("y", "float32", [1, 2])
      .toBytes();
    const inspection = await inspectOnnx(await file("unknown-op.onnx", bytes), { displayName: "model.onnx" });
    expect(inspection).toEqual({
      valid: false,
      reason: expect.stringMatching(/^ONNX Runtime cannot load model\.onnx: .*NoSuchOperator/),
    });
  });

  it("gives ONNX Runtime's reason for a node input that nothing defines", async () => {
    const bytes = new OnnxGraphBuilder()
      .addInput("x", "float32", [1, 4])
      .addInitializer("bias", new Float32Array(3), [3])
      .addNode({
        op: "Gemm",
        inputs: ["x", "weights", "bias"],
        outputs: ["y"],
        attributes: { transB: { int: 1 } },
      })
      .addOutput("y", "float32", [1, 3])
      .toBytes();
    const inspection = await inspectOnnx(await file("missing-initializer.onnx", bytes));
    expect(inspection).toEqual({
      valid: false,
      reason: expect.stringMatching(/^ONNX Runtime cannot load missing-initializer\.onnx: .*weights/),
    });
    expect(inspection.valid || inspection.reason).not.toContain(dir);
  });

  it("does not inspect a file over the size limit", async () => {
    const filePath = await file("big.onnx", buildLinearClassifier().toBytes());
    expect(await inspectOnnx(filePath, { maxBytes: 64 })).toEqual({
      valid: false,
      reason: "big.onnx is larger than 64 bytes, the limit for ONNX inspection; it was not inspected",
    });
  });

  it("rejects when the file cannot be read at all", async () => {
    await expect(inspectOnnx(path.join(dir, "missing.onnx"))).rejects.toThrow(/ENOENT/);
  });
});

describe("parseLabels", () => {
  it.each([
    [undefined, []],
    ["", []],
    ['["cat", "dog"]', ["cat", "dog"]],
    ["[1, 2]", ["1", "2"]],
    ['{"1": "dog", "0": "cat", "10": "eel"}', ["cat", "dog", "eel"]],
    ["cat,dog,,bird", ["cat", "dog", "bird"]],
    ["[unclosed, tag]", ["[unclosed", "tag]"]],
  ])("reads %j as %j", (raw, labels) => {
    expect(parseLabels(raw)).toEqual(labels);
  });
});
