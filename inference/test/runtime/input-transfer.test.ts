import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildDoubler } from "@tessera/onnx/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTierConfig } from "../../src/config";
import type { _inference_ModelInferRequest_InferInputTensor__Output as InferInputTensor } from "@tessera/proto/generated/inference/ModelInferRequest";
import { decodeInputs, tensorFromRaw } from "../../src/kserve/tensor-codec";
import { createTierLogger } from "../../src/logger";
import { concatenate, copyInputs, splitOutputs } from "../../src/runtime/batch-tensors";
import { InputBuffers } from "../../src/runtime/input-buffers";
import type { Tensor } from "../../src/runtime/model-runner";
import { startTierServer, type RunningTier } from "../../src/server";

// Inputs travel to the session worker in buffers that are transferred, not copied, and come back
// for the next batch: these tests pin exact tensors out for known tensors in along that path.

const floats = (rows: number[][]): Tensor => ({
  dataType: "FLOAT32",
  shape: [rows.length, rows[0]!.length],
  data: Float32Array.from(rows.flat()),
});
const int64s = (rows: number[][]): Tensor => ({
  dataType: "INT64",
  shape: [rows.length, rows[0]!.length],
  data: BigInt64Array.from(rows.flat(), BigInt),
});

describe("merging inputs into reusable buffers", () => {
  it("merges float32 and int64 rows in request order, byte for byte, and splits answers back", () => {
    const buffers = new InputBuffers(2);
    const merged = concatenate(
      [
        { x: floats([[1.5, -2, 3]]), n: int64s([[1, -2]]) },
        {
          x: floats([
            [4, 5, 6],
            [7, 8, 9.25],
          ]),
          n: int64s([
            [2 ** 40, 3],
            [4, 5],
          ]),
        },
      ],
      ["x", "n"],
      buffers,
    );
    expect(merged.x!.shape).toEqual([3, 3]);
    expect([...merged.x!.data]).toEqual([1.5, -2, 3, 4, 5, 6, 7, 8, 9.25]);
    expect([...merged.n!.data]).toEqual([1n, -2n, 2n ** 40n, 3n, 4n, 5n]);
    const [first, second] = splitOutputs({ x: merged.x! }, [1, 2]);
    expect([...first!.x!.data]).toEqual([1.5, -2, 3]);
    expect(second!.x!.shape).toEqual([2, 3]);
  });

  it("reuses a buffer handed back and keeps at most its capacity", () => {
    const buffers = new InputBuffers(1);
    const first = copyInputs({ x: floats([[1, 2, 3]]) }, buffers).x!;
    const buffer = first.data.buffer as ArrayBuffer;
    buffers.give([buffer, new ArrayBuffer(8)]);
    expect(buffers.size).toBe(1);
    const again = copyInputs({ x: floats([[4, 5, 6]]) }, buffers).x!;
    expect(again.data.buffer).toBe(buffer);
    expect([...again.data]).toEqual([4, 5, 6]);
  });

  it("copies a tensor whose raw bytes are unaligned and reads the same values", () => {
    const message = Buffer.alloc(1 + 12);
    Buffer.from(Float32Array.of(0.25, -1, 1e6).buffer).copy(message, 1);
    const tensor = tensorFromRaw('input "x"', "FLOAT32", [1, 3], message.subarray(1));
    expect([...tensor.data]).toEqual([0.25, -1, 1e6]);
  });
});

describe("the batcher's transfer path through a session worker", () => {
  let cacheDir: string;
  let tier: RunningTier;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), "tessera-transfer-"));
    const config = {
      ...loadTierConfig({ INFERENCE_PORT: "0", INFERENCE_CACHE_DIR: cacheDir }),
      host: "127.0.0.1",
    };
    tier = await startTierServer(config, createTierLogger("silent"));
    await tier.dataPlane.models.load("doubler", {
      // A long queue delay: the concurrent requests below fill max_batch_size and share one run.
      config: JSON.stringify({
        max_batch_size: 8,
        dynamic_batching: { max_queue_delay_microseconds: 2_000_000 },
      }),
      files: new Map([["1", new Map([["model.onnx", buildDoubler().toBytes()]])]]),
    });
    // Without dynamic batching every request runs alone, as soon as it comes.
    await tier.dataPlane.models.load("doubler-alone", {
      config: JSON.stringify({ max_batch_size: 8 }),
      files: new Map([["1", new Map([["model.onnx", buildDoubler().toBytes()]])]]),
    });
  });

  afterAll(async () => {
    await tier?.shutdown();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("answers each request of a merged batch with its own rows, leaving callers' arrays intact", async () => {
    const requests = [
      { x: floats([[1, 2, 3]]), n: int64s([[1, 2]]) },
      {
        x: floats([
          [-1, 0.5, 8],
          [10, 20, 30],
        ]),
        n: int64s([
          [-7, 2 ** 50],
          [0, 9],
        ]),
      },
      { x: floats([[0.125, 0, -0]]), n: int64s([[5, 6]]) },
      {
        x: floats([
          [100, 200, 300],
          [1, 1, 1],
          [2, 2, 2],
          [3, 3, 3],
        ]),
        n: int64s([
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 4],
        ]),
      },
    ];
    const before = await executions();
    const answers = await Promise.all(
      requests.map((inputs) => tier.runner.infer("doubler", undefined, inputs)),
    );
    expect(await executions()).toBe(before + 1);
    answers.forEach((answer, index) => {
      const { x, n } = requests[index]!;
      expect(answer.doubled!.shape).toEqual(x.shape);
      expect([...answer.doubled!.data]).toEqual([...x.data].map((value) => Number(value) * 2));
      expect([...answer.summed!.data]).toEqual([...n.data].map((value) => BigInt(value) * 2n));
    });
    // A task's own arrays are copied into the batch, never moved away from it.
    expect(requests[0]!.x.data.length).toBe(3);
    expect([...requests[1]!.n.data]).toEqual([-7n, 2n ** 50n, 0n, 9n]);
  });

  it("hands a ModelInfer request's aligned copy to the worker without copying it again", async () => {
    // Raw contents at odd offsets of the message, as protobuf may place them: decoding copies them.
    const message = Buffer.alloc(3 + 24 + 16);
    Buffer.from(Float32Array.of(1, 2, 3, 4, 5, 6).buffer).copy(message, 3);
    Buffer.from(BigInt64Array.of(11n, -12n, 13n, 14n).buffer, 0, 16).copy(message, 27);
    const decode = (shapes: number[][]) =>
      decodeInputs(
        [
          { name: "x", datatype: "FP32", shape: shapes[0]! },
          { name: "n", datatype: "INT64", shape: shapes[1]! },
        ] as InferInputTensor[],
        [message.subarray(3, 3 + shapes[0]![0]! * 12), message.subarray(27, 43)],
        1024,
      );
    const request = decode([
      [2, 3],
      [1, 2],
    ]);
    const shared = {
      x: request.x!,
      n: int64s([
        [11, -12],
        [13, 14],
      ]),
    };
    const mixed = await tier.runner.infer("doubler-alone", undefined, shared);
    expect([...mixed.doubled!.data]).toEqual([2, 4, 6, 8, 10, 12]);
    expect([...mixed.summed!.data]).toEqual([22n, -24n, 26n, 28n]);
    // One input is the caller's own array, so the batch took copies and moved nothing.
    expect(shared.x.data.length).toBe(6);

    const own = decode([
      [1, 3],
      [1, 2],
    ]);
    const answer = await tier.runner.infer("doubler-alone", undefined, own);
    expect([...answer.doubled!.data]).toEqual([2, 4, 6]);
    expect([...answer.summed!.data]).toEqual([22n, -24n]);
    // Every input was the request's own copy: moved to the worker, not copied (detached here).
    expect(own.x!.data.length).toBe(0);
    expect(own.n!.data.length).toBe(0);
  });

  it("lets a client send a 16 MiB request without waiting for flow-control updates", async () => {
    const session = http2.connect(`http://127.0.0.1:${tier.port}`);
    try {
      await once(session, "remoteSettings");
      // A ping's answer comes after every frame the tier sent before it, its WINDOW_UPDATE included.
      await new Promise<void>((resolve, reject) =>
        session.ping((error) => (error ? reject(error) : resolve())),
      );
      expect(session.remoteSettings.initialWindowSize).toBe(16 * 1024 * 1024);
      expect(session.remoteSettings.maxFrameSize).toBe(2 ** 24 - 1);
      expect(session.state.remoteWindowSize).toBe(16 * 1024 * 1024);
    } finally {
      session.close();
    }
  });

  async function executions(): Promise<number> {
    const [stats] = tier.dataPlane.models.statistics("doubler", "");
    return stats!.statistics.executionCount;
  }
});
