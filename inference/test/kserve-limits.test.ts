import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { OnnxGraphBuilder } from "@tessera/onnx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callError, connectKServe, type KServeTestClient } from "./helpers/kserve-client";
import { loadRequest, rawFloat32 } from "./helpers/model-loads";
import { startTierProcess, type TierProcess } from "./helpers/tier-process";
import { connectTaskService, type TaskClient } from "./tasks/support/task-server";
import { pngOf } from "./tasks/support/test-images";

// Every size and count a client can set is bounded in the tier itself: KServe and task clients
// call it directly, without the gateway's checks in front.

/** A classifier that takes images of any size: [batch, 3, h, w] → channel means → [batch, 3]. */
function anySizeClassifier(): Uint8Array {
  return new OnnxGraphBuilder({ graphName: "any-size-classifier" })
    .addInput("image", "float32", ["batch", 3, "height", "width"])
    .addInitializer("weights", Float32Array.from([4, 0, 0, 0, 4, 0, 0, 0, 4]), [3, 3])
    .addNode({ op: "GlobalAveragePool", inputs: ["image"], outputs: ["pooled"] })
    .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["means"], attributes: { axis: { int: 1 } } })
    .addNode({
      op: "Gemm",
      inputs: ["means", "weights"],
      outputs: ["scores"],
      attributes: { transB: { int: 1 } },
    })
    .addOutput("scores", "float32", ["batch", 3])
    .toBytes();
}

const parameter = (value: unknown) => ({
  string_value: typeof value === "string" ? value : JSON.stringify(value),
});

function classifierConfig(preprocessing: object, extra: object = {}) {
  return {
    max_batch_size: 4,
    parameters: {
      "tessera.task": parameter("classification"),
      "tessera.labels": parameter(["red", "green", "blue"]),
      "tessera.preprocessing": parameter(preprocessing),
    },
    ...extra,
  };
}

/** Peak resident memory of a process so far (Linux's VmHWM), in MiB. */
function peakMemoryMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const TENSOR_LIMIT = 1024 * 1024;

describe("the tier refuses sizes and counts over its limits", () => {
  let tier: TierProcess;
  let kserve: KServeTestClient;
  let tasks: TaskClient;
  const model = anySizeClassifier();
  let red: Buffer;

  beforeAll(async () => {
    // A small tensor limit, so that requests over it stay cheap to build.
    tier = await startTierProcess(0, { LOG_LEVEL: "warn", INFERENCE_MAX_TENSOR_BYTES: String(TENSOR_LIMIT) });
    kserve = connectKServe(tier.port);
    tasks = connectTaskService(tier.port);
    red = await pngOf(16, 16, () => [220, 20, 20]);
    await kserve.call(
      "RepositoryModelLoad",
      loadRequest("colours", classifierConfig({ width: 8, height: 8 }), { 1: model }),
    );
  });

  afterAll(async () => {
    kserve?.close();
    tasks?.close();
    await tier?.stop();
  });

  async function refusedLoad(name: string, config: object): Promise<string> {
    const error = await callError(
      kserve.call("RepositoryModelLoad", loadRequest(name, config, { 1: model })),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    return error.details;
  }

  it("refuses an 8000×8000 preprocessing at load, before anything is allocated for it", async () => {
    const peakBefore = peakMemoryMiB(tier.child.pid!);
    const details = await refusedLoad("huge", classifierConfig({ width: 8000, height: 8000 }));
    expect(details).toBe(
      'config.parameters["tessera.preprocessing"].width must be an integer between 1 and 4096, got 8000',
    );
    // One request at 8000×8000 used to take the tier from ~240 MiB to ~1.9 GiB, and keep it.
    expect(peakMemoryMiB(tier.child.pid!) - peakBefore).toBeLessThan(64);
    const { models } = await kserve.call("RepositoryIndex", { ready: false });
    expect(models.map((entry: { name: string }) => entry.name)).not.toContain("huge");
  });

  const overLimit: Array<[string, object, string]> = [
    [
      "a max_batch_size over 1024",
      classifierConfig({}, { max_batch_size: 1025 }),
      "config.max_batch_size must be an integer between 0 and 1024, got 1025",
    ],
    [
      "33 preferred batch sizes",
      classifierConfig(
        {},
        { dynamic_batching: { preferred_batch_size: Array.from({ length: 33 }, () => 1) } },
      ),
      "config.dynamic_batching.preferred_batch_size must have at most 32 entries, got 33",
    ],
    [
      "a queue delay over 10 s",
      classifierConfig({}, { dynamic_batching: { max_queue_delay_microseconds: 10_000_001 } }),
      "config.dynamic_batching.max_queue_delay_microseconds must be an integer between 0 and 10000000, got 10000001",
    ],
    [
      "a queue of more than a million requests",
      classifierConfig({}, { dynamic_batching: { default_queue_policy: { max_queue_size: 1_000_001 } } }),
      "config.dynamic_batching.default_queue_policy.max_queue_size must be an integer between 0 and 1000000, got 1000001",
    ],
    [
      "65 instances over two groups",
      classifierConfig({}, { instance_group: [{ count: 40 }, { count: 25 }] }),
      "config.instance_group asks for 65 instances in all; at most 64 are allowed",
    ],
    [
      "65,537 labels",
      {
        parameters: {
          "tessera.task": parameter("classification"),
          "tessera.labels": parameter(Array.from({ length: 65_537 }, (_, index) => `c${index}`)),
        },
      },
      'config.parameters["tessera.labels"] must have at most 65536 entries, got 65537',
    ],
    [
      "an input of 17 dimensions",
      { input: [{ name: "image", data_type: "TYPE_FP32", dims: Array.from({ length: 17 }, () => 1) }] },
      "config.input[0].dims must have at most 16 entries, got 17",
    ],
  ];

  it.each(overLimit)(
    "refuses %s at load with INVALID_ARGUMENT naming the field",
    async (_case, config, message) => {
      expect(await refusedLoad("over-limit", config)).toBe(message);
    },
  );

  it("refuses top_k over 1000", async () => {
    const error = await callError(tasks.call("Classify", { model_name: "colours", image: red, top_k: 1001 }));
    expect(error).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "top_k must be between 0 and 1000 (0: 5), got 1001",
    });
  });

  it("refuses a ModelInfer input whose shape claims more than INFERENCE_MAX_TENSOR_BYTES, before reading it", async () => {
    const error = await callError(
      kserve.call("ModelInfer", {
        model_name: "colours",
        inputs: [{ name: "image", datatype: "FP32", shape: [4, 3, 65_536, 65_536] }],
      }),
    );
    expect(error).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details:
        'input "image" has shape [4, 3, 65536, 65536], 206158430208 bytes of FP32; at most 1048576 bytes are allowed per input (INFERENCE_MAX_TENSOR_BYTES)',
    });
  });

  it("refuses a ModelInfer input over the limit that carries all its values", async () => {
    const side = 300; // 3 × 300 × 300 float32 = 1,080,000 bytes, just over 1 MiB
    const error = await callError(
      kserve.call("ModelInfer", {
        model_name: "colours",
        inputs: [{ name: "image", datatype: "FP32", shape: [1, 3, side, side] }],
        raw_input_contents: [rawFloat32(new Array<number>(3 * side * side).fill(0.5))],
      }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/at most 1048576 bytes are allowed per input/);
  });

  it("refuses a ModelInfer input of 17 dimensions", async () => {
    const error = await callError(
      kserve.call("ModelInfer", {
        model_name: "colours",
        inputs: [{ name: "image", datatype: "FP32", shape: Array.from({ length: 17 }, () => 1) }],
      }),
    );
    expect(error).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: 'input "image" has 17 dimensions; at most 16 are allowed',
    });
  });

  it("refuses a task whose images alone would make a tensor over the limit, and batches the rest to fit", async () => {
    // 300 × 300 × 3 float32 values are just over 1 MiB: no image can be run.
    await kserve.call(
      "RepositoryModelLoad",
      loadRequest("large-input", classifierConfig({ width: 300, height: 300 }), { 1: model }),
    );
    const error = await callError(tasks.call("Classify", { model_name: "large-input", image: red }));
    expect(error).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details:
        "The model takes images of 300×300, 1080000 bytes each as a float tensor; the tier takes at most 1048576 (INFERENCE_MAX_TENSOR_BYTES)",
    });
    // 200 × 200: two images fit in 1 MiB, so five are run in three groups, all answered.
    await kserve.call(
      "RepositoryModelLoad",
      loadRequest("medium-input", classifierConfig({ width: 200, height: 200 }), { 1: model }),
    );
    const answer = await tasks.call<{ embeddings: unknown[] }>("Embed", {
      images: [red, red, red, red, red],
      method: "ML",
      backbone_model_name: "medium-input",
    });
    expect(answer.embeddings).toHaveLength(5);
  });

  it("keeps serving after every refusal: healthy, and the model loaded first still answers", async () => {
    expect(await kserve.call("ServerLive")).toEqual({ live: true });
    expect(await kserve.call("ServerReady")).toEqual({ ready: true });
    const answer = await tasks.call<{ predictions: Array<{ label: string }> }>("Classify", {
      model_name: "colours",
      image: red,
      top_k: 1,
    });
    expect(answer.predictions.map((prediction) => prediction.label)).toEqual(["red"]);
  });
});
