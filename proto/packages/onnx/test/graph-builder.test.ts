import onnxProto from "onnx-proto";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  buildFixedBatchClassifier,
  buildLinearClassifier,
  buildTinyCnn,
  linearClassifierSpec,
  tinyCnnSpec,
} from "../src/fixtures";
import { OnnxGraphBuilder } from "../src/graph-builder";

const { ModelProto } = onnxProto.onnx;

function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((value) => Math.exp(value - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

/** x·Wᵀ + b for one row. */
function dense(
  x: readonly number[],
  weights: readonly (readonly number[])[],
  bias: readonly number[],
): number[] {
  return weights.map((row, k) => row.reduce((sum, w, j) => sum + w * (x[j] ?? 0), bias[k] ?? 0));
}

function expectCloseTo(actual: ArrayLike<number>, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, 6));
}

async function run(bytes: Uint8Array, feeds: Record<string, Tensor>) {
  const session = await InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe("linear classifier fixture", () => {
  const rows = [
    [1, 2, 3, 4],
    [0, 0, 0, 0],
    [-1.5, 0.5, 2, -0.25],
  ];

  it("computes softmax(x·Wᵀ + b) for a dynamic batch", async () => {
    const { input, output, weights, bias } = linearClassifierSpec;
    const feeds = { [input]: new Tensor("float32", Float32Array.from(rows.flat()), [rows.length, 4]) };
    const result = await run(buildLinearClassifier().toBytes(), feeds);
    const probabilities = result[output];
    expect(probabilities?.dims).toEqual([3, 3]);
    expectCloseTo(
      probabilities?.data as Float32Array,
      rows.flatMap((row) => softmax(dense(row, weights, bias))),
    );
  });

  it("declares its tensors, a symbolic batch and its labels", async () => {
    const session = await InferenceSession.create(buildLinearClassifier().toBytes());
    expect(session.inputMetadata).toEqual([
      { name: "input", isTensor: true, type: "float32", shape: ["batch", 4] },
    ]);
    expect(session.outputMetadata).toEqual([
      { name: "probabilities", isTensor: true, type: "float32", shape: ["batch", 3] },
    ]);
    await session.release();
    const model = ModelProto.decode(buildLinearClassifier().toBytes());
    expect(model.metadataProps.map(({ key, value }) => [key, value])).toEqual([
      ["labels", '["cat","dog","bird"]'],
    ]);
  });

  it("with a fixed batch of 1 runs one row and refuses two", async () => {
    const bytes = buildFixedBatchClassifier().toBytes();
    const one = await run(bytes, { input: new Tensor("float32", Float32Array.from(rows[0] ?? []), [1, 4]) });
    const { weights, bias } = linearClassifierSpec;
    expectCloseTo(one.probabilities?.data as Float32Array, softmax(dense(rows[0] ?? [], weights, bias)));
    const two = new Tensor("float32", Float32Array.from(rows.slice(0, 2).flat()), [2, 4]);
    await expect(run(bytes, { input: two })).rejects.toThrow(
      /invalid dimensions for input: input[\s\S]*index: 0 Got: 2 Expected: 1/,
    );
  });
});

describe("tiny CNN fixture", () => {
  const { channels, size, filters, kernel, convWeights, convBias, denseWeights, denseBias } = tinyCnnSpec;

  /** A deterministic image in -1…1 so that some conv outputs are negative and Relu matters. */
  function image(seed: number): number[] {
    return Array.from(
      { length: channels * size * size },
      (_, index) => (((index * 37 + seed * 11) % 23) - 11) / 11,
    );
  }

  /** Conv 3×3 with zero padding 1 → Relu → mean over the image, per filter. */
  function pooledFeatures(pixels: number[]): number[] {
    const at = (c: number, y: number, x: number) =>
      y < 0 || y >= size || x < 0 || x >= size ? 0 : (pixels[(c * size + y) * size + x] ?? 0);
    return Array.from({ length: filters }, (_, f) => {
      let total = 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          let sum = convBias[f] ?? 0;
          for (let c = 0; c < channels; c++) {
            for (let ky = 0; ky < kernel; ky++) {
              for (let kx = 0; kx < kernel; kx++) {
                const weight = convWeights[((f * channels + c) * kernel + ky) * kernel + kx] ?? 0;
                sum += weight * at(c, y + ky - 1, x + kx - 1);
              }
            }
          }
          total += Math.max(0, sum);
        }
      }
      return total / (size * size);
    });
  }

  it("computes Conv → Relu → GlobalAveragePool → Gemm on a batch of two", async () => {
    const images = [image(1), image(2)];
    const feeds = {
      image: new Tensor("float32", Float32Array.from(images.flat()), [2, channels, size, size]),
    };
    const result = await run(buildTinyCnn().toBytes(), feeds);
    expect(result.logits?.dims).toEqual([2, 3]);
    const expected = images.flatMap((pixels) => dense(pooledFeatures(pixels), denseWeights, denseBias));
    expectCloseTo(result.logits?.data as Float32Array, expected);
  });
});

describe("OnnxGraphBuilder", () => {
  it("writes the model header, opset imports and metadata", () => {
    const bytes = new OnnxGraphBuilder({
      irVersion: 7,
      opset: 12,
      producerName: "trainer",
      producerVersion: "2",
    })
      .addOpsetImport("com.microsoft", 1)
      .setMetadata("labels", "a,b")
      .setMetadata("labels", "a,b,c")
      .setMetadata("author", "tests")
      .toBytes();
    const model = ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(7);
    expect(model.producerName).toBe("trainer");
    expect(model.producerVersion).toBe("2");
    expect(model.opsetImport.map(({ domain, version }) => [domain, Number(version)])).toEqual([
      ["", 12],
      ["com.microsoft", 1],
    ]);
    expect(model.metadataProps.map(({ key, value }) => [key, value])).toEqual([
      ["labels", "a,b,c"],
      ["author", "tests"],
    ]);
  });

  it("encodes each attribute type with its ONNX type tag", () => {
    const bytes = new OnnxGraphBuilder()
      .addNode({
        op: "Custom",
        inputs: ["x"],
        outputs: ["y"],
        attributes: {
          count: { int: 3 },
          scale: { float: 0.5 },
          mode: { string: "édge" },
          pads: { ints: [1, 2] },
          weights: { floats: [0.25, -1] },
          names: { strings: ["a", "b"] },
        },
      })
      .toBytes();
    const [node] = ModelProto.decode(bytes).graph?.node ?? [];
    const decoded = Object.fromEntries(
      (node?.attribute ?? []).map((a) => [
        a.name,
        {
          type: onnxProto.onnx.AttributeProto.AttributeType[a.type ?? 0],
          value: [
            Number(a.i),
            a.f,
            Buffer.from(a.s ?? []).toString(),
            (a.ints ?? []).map(Number),
            a.floats,
            (a.strings ?? []).map(String),
          ],
        },
      ]),
    );
    expect(node?.name).toBe("Custom_0");
    expect(decoded.count).toEqual({ type: "INT", value: [3, 0, "", [], [], []] });
    expect(decoded.scale).toEqual({ type: "FLOAT", value: [0, 0.5, "", [], [], []] });
    expect(decoded.mode).toEqual({ type: "STRING", value: [0, 0, "édge", [], [], []] });
    expect(decoded.pads).toEqual({ type: "INTS", value: [0, 0, "", [1, 2], [], []] });
    expect(decoded.weights).toEqual({ type: "FLOATS", value: [0, 0, "", [], [0.25, -1], []] });
    expect(decoded.names).toEqual({ type: "STRINGS", value: [0, 0, "", [], [], ["a", "b"]] });
  });

  it("stores initializers as little-endian raw data of their element type", async () => {
    const bytes = new OnnxGraphBuilder()
      .addInput("x", "float32", ["n", 2])
      .addInitializer("shape", BigInt64Array.from([-1n, 1n]), [2])
      .addNode({ op: "Reshape", inputs: ["x", "shape"], outputs: ["y"] })
      .addOutput("y", "float32", ["m", 1])
      .toBytes();
    const [shape] = ModelProto.decode(bytes).graph?.initializer ?? [];
    expect(shape?.dataType).toBe(7);
    expect(Buffer.from(shape?.rawData ?? []).toString("hex")).toBe("ffffffffffffffff0100000000000000");
    const result = await run(bytes, { x: new Tensor("float32", Float32Array.from([1, 2, 3, 4]), [2, 2]) });
    expect(result.y?.dims).toEqual([4, 1]);
    expect(Array.from(result.y?.data as Float32Array)).toEqual([1, 2, 3, 4]);
  });

  it("stores an array as another element type of the same width when asked", () => {
    const bytes = new OnnxGraphBuilder()
      .addInitializer("mask", Uint8Array.from([1, 0]), [2], "bool")
      .addInitializer("half", Uint16Array.from([0x3c00]), [1], "float16")
      .toBytes();
    const tensors = ModelProto.decode(bytes).graph?.initializer ?? [];
    expect(tensors.map((t) => [t.name, t.dataType, Buffer.from(t.rawData ?? []).toString("hex")])).toEqual([
      ["mask", 9, "0100"],
      ["half", 10, "003c"],
    ]);
  });

  it("refuses initializers whose data does not match their dims or type", () => {
    const builder = new OnnxGraphBuilder().addInitializer("w", new Float32Array(6), [2, 3]);
    expect(() => builder.addInitializer("w", new Float32Array(6), [2, 3])).toThrow(
      'Initializer "w" is already defined',
    );
    expect(() => builder.addInitializer("v", new Float32Array(5), [2, 3])).toThrow(
      'Initializer "v" has dims [2, 3] (6 elements) but 5 values were given',
    );
    expect(() => builder.addInitializer("u", new Float32Array(1), [1], "int32")).toThrow(
      'Initializer "u": a Float32Array cannot hold int32; expected one of float32',
    );
  });

  it("leaves out the shape of a tensor declared without one", () => {
    const bytes = new OnnxGraphBuilder().addInput("x", "int64").addOutput("y", "string", []).toBytes();
    const graph = ModelProto.decode(bytes).graph;
    expect(graph?.input?.[0]?.type?.tensorType?.shape).toBeNull();
    expect(graph?.output?.[0]?.type?.tensorType?.shape?.dim).toEqual([]);
  });
});
