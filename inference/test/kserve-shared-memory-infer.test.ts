import * as grpc from "@grpc/grpc-js";
import { buildDoubler, buildLinearClassifier } from "@tessera/onnx/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inSharedMemory, SharedMemoryObject } from "../src/kserve/shared-memory-client";
import { callError, connectKServe, type KServeTestClient } from "./helpers/kserve-client";
import { loadRequest, rawFloat32 } from "./helpers/model-loads";
import { buildClassifierWithLogits } from "./helpers/test-models";
import { startTierProcess, type TierProcess } from "./helpers/tier-process";

// ModelInfer with tensors in system shared memory, as Triton's extension defines it: inputs read
// from a registered region, requested outputs written to one, answers byte for byte those of the
// same request with raw contents. The tier under test forwards one model to a second tier standing
// in for Triton, which has shared memory off.

const prefix = `tessera-shm-infer-${process.pid}`;
const OBJECT_BYTES = 4096;
const SENTINEL = 0xab;
const TENSOR_LIMIT = 1024;

const rows = [0.5, -1, 2, 3.25, 4, 0, -2.5, 1];
const rowBytes = rawFloat32(rows);
const int64Bytes = (values: bigint[]) => Buffer.from(BigInt64Array.from(values).buffer);

describe("ModelInfer through system shared memory", () => {
  let triton: TierProcess;
  let tier: TierProcess;
  let client: KServeTestClient;
  let tritonClient: KServeTestClient;
  let object: SharedMemoryObject;

  beforeAll(async () => {
    triton = await startTierProcess(0);
    tier = await startTierProcess(0, {
      INFERENCE_ALLOW_CLIENT_SHM: "true",
      INFERENCE_MAX_TENSOR_BYTES: String(TENSOR_LIMIT),
      TRITON_URL: `grpc://127.0.0.1:${triton.port}`,
    });
    client = connectKServe(tier.port);
    tritonClient = connectKServe(triton.port);
    await client.call(
      "RepositoryModelLoad",
      loadRequest("classifier", { max_batch_size: 8 }, { 1: buildClassifierWithLogits() }),
    );
    await client.call(
      "RepositoryModelLoad",
      loadRequest("doubler", { max_batch_size: 8 }, { 1: buildDoubler().toBytes() }),
    );
    await client.call(
      "RepositoryModelLoad",
      loadRequest(
        "remote",
        { max_batch_size: 8, parameters: { "tessera.hosted_on": { string_value: "triton" } } },
        { 1: buildLinearClassifier().toBytes() },
      ),
    );
    object = await SharedMemoryObject.create(`/${prefix}`, OBJECT_BYTES);
    await object.write(0, Buffer.alloc(OBJECT_BYTES, SENTINEL));
    // "in" is the object's first half, "out" its second.
    await object.register(client, "in", 0, OBJECT_BYTES / 2);
    await object.register(client, "out", OBJECT_BYTES / 2, OBJECT_BYTES / 2);
  });

  afterAll(async () => {
    client?.close();
    tritonClient?.close();
    await Promise.all([tier?.stop(), triton?.stop()]);
    await object?.destroy();
  });

  const classifierInput = (parameters: object = {}) => ({
    name: "input",
    datatype: "FP32",
    shape: [2, 4],
    parameters,
  });

  it("reads an input from a region at its offset and answers exactly as for raw contents", async () => {
    await object.write(100, rowBytes);
    const raw = await client.call("ModelInfer", {
      model_name: "classifier",
      inputs: [classifierInput()],
      raw_input_contents: [rowBytes],
    });
    const shared = await client.call("ModelInfer", {
      model_name: "classifier",
      id: "through shm",
      inputs: [classifierInput(inSharedMemory("in", rowBytes.byteLength, 100))],
    });
    expect(shared.id).toBe("through shm");
    expect(shared.outputs).toEqual(raw.outputs);
    expect(shared.raw_output_contents).toEqual(raw.raw_output_contents);
  });

  it("writes requested outputs to a region, answers their placement and an empty raw entry, and leaves the rest", async () => {
    await object.write(0, rowBytes);
    const raw = await client.call("ModelInfer", {
      model_name: "classifier",
      inputs: [classifierInput()],
      raw_input_contents: [rowBytes],
      outputs: [{ name: "probabilities" }, { name: "logits" }],
    });
    const shared = await client.call("ModelInfer", {
      model_name: "classifier",
      inputs: [classifierInput(inSharedMemory("in", rowBytes.byteLength))],
      outputs: [{ name: "probabilities", parameters: inSharedMemory("out", 64, 8) }, { name: "logits" }],
    });
    expect(shared.outputs).toEqual([
      {
        ...raw.outputs[0],
        parameters: {
          shared_memory_region: { string_param: "out", parameter_choice: "string_param" },
          shared_memory_offset: { int64_param: 8, parameter_choice: "int64_param" },
          shared_memory_byte_size: { int64_param: 24, parameter_choice: "int64_param" },
        },
      },
      raw.outputs[1],
    ]);
    expect(shared.raw_output_contents).toEqual([Buffer.alloc(0), raw.raw_output_contents[1]]);
    const out = OBJECT_BYTES / 2;
    expect(await object.read(out + 8, 24)).toEqual(raw.raw_output_contents[0]);
    expect(await object.read(out, 8)).toEqual(Buffer.alloc(8, SENTINEL));
    expect(await object.read(out + 32, 64)).toEqual(Buffer.alloc(64, SENTINEL));
  });

  it("takes raw_input_contents for the inputs outside shared memory only, in order, as Triton does", async () => {
    const x = rawFloat32([1.5, -2, 3]);
    const n = int64Bytes([7n, -(2n ** 40n)]);
    await object.write(200, x);
    await object.write(300, n);
    const expected = await client.call("ModelInfer", {
      model_name: "doubler",
      inputs: [
        { name: "x", datatype: "FP32", shape: [1, 3] },
        { name: "n", datatype: "INT64", shape: [1, 2] },
      ],
      raw_input_contents: [x, n],
    });
    expect(expected.raw_output_contents).toEqual([rawFloat32([3, -4, 6]), int64Bytes([14n, -(2n ** 41n)])]);
    const xShared = await client.call("ModelInfer", {
      model_name: "doubler",
      inputs: [
        { name: "x", datatype: "FP32", shape: [1, 3], parameters: inSharedMemory("in", 12, 200) },
        { name: "n", datatype: "INT64", shape: [1, 2] },
      ],
      raw_input_contents: [n],
    });
    const nShared = await client.call("ModelInfer", {
      model_name: "doubler",
      inputs: [
        { name: "x", datatype: "FP32", shape: [1, 3] },
        { name: "n", datatype: "INT64", shape: [1, 2], parameters: inSharedMemory("in", 16, 300) },
      ],
      raw_input_contents: [x],
    });
    expect(xShared.raw_output_contents).toEqual(expected.raw_output_contents);
    expect(nShared.raw_output_contents).toEqual(expected.raw_output_contents);
  });

  it("reads a forwarded model's inputs itself and sends Triton their bytes, then writes the answer", async () => {
    await object.write(400, rowBytes);
    const raw = await client.call("ModelInfer", {
      model_name: "remote",
      inputs: [classifierInput()],
      raw_input_contents: [rowBytes],
    });
    const shared = await client.call("ModelInfer", {
      model_name: "remote",
      inputs: [classifierInput(inSharedMemory("in", rowBytes.byteLength, 400))],
      outputs: [{ name: "probabilities", parameters: inSharedMemory("out", 24, 200) }],
    });
    expect(shared.outputs[0].shape).toEqual(raw.outputs[0].shape);
    expect(await object.read(OBJECT_BYTES / 2 + 200, 24)).toEqual(raw.raw_output_contents[0]);
  });

  it("refuses shared-memory parameters on a tier that has the extension off", async () => {
    const error = await callError(
      tritonClient.call("ModelInfer", {
        model_name: "remote",
        inputs: [classifierInput(inSharedMemory("in", rowBytes.byteLength))],
      }),
    );
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toBe(
      'input "input" names system shared memory region "in", which is not registered (client shared memory ' +
        "is disabled on this tier; start it with INFERENCE_ALLOW_CLIENT_SHM=true to enable it)",
    );
  });

  describe("refuses a request and changes nothing", () => {
    async function refused(request: object, code: grpc.status): Promise<string> {
      const regions = await client.call("SystemSharedMemoryStatus", { name: "" });
      const bytes = await object.read(0, OBJECT_BYTES);
      const inferences = await inferenceCount();
      const error = await callError(client.call("ModelInfer", { model_name: "classifier", ...request }));
      expect(error.code).toBe(code);
      expect(await client.call("SystemSharedMemoryStatus", { name: "" })).toEqual(regions);
      expect(await object.read(0, OBJECT_BYTES)).toEqual(bytes);
      expect(await inferenceCount()).toBe(inferences);
      return error.details;
    }

    async function inferenceCount(): Promise<number> {
      const { model_stats } = await client.call("ModelStatistics", { name: "classifier" });
      return model_stats[0].inference_count;
    }

    const withParameters = (parameters: object) => ({ inputs: [classifierInput(parameters)] });

    it("with a region but no byte size, or a byte size or offset but no region", async () => {
      expect(
        await refused(
          withParameters({ shared_memory_region: { string_param: "in" } }),
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe('input "input" has "shared_memory_region" but no "shared_memory_byte_size"; both are required');
      expect(
        await refused(
          withParameters({ shared_memory_byte_size: { int64_param: 32 } }),
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe('input "input" has "shared_memory_byte_size" but no "shared_memory_region"');
      expect(
        await refused(
          withParameters({ shared_memory_offset: { int64_param: 0 } }),
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe('input "input" has "shared_memory_offset" but no "shared_memory_region"');
    });

    it("with parameters of the wrong type", async () => {
      expect(
        await refused(
          withParameters({
            shared_memory_region: { int64_param: 1 },
            shared_memory_byte_size: { int64_param: 32 },
          }),
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe('input "input" has a "shared_memory_region" that is not a string_param');
      expect(
        await refused(
          withParameters({ ...inSharedMemory("in", 32), shared_memory_offset: { string_param: "8" } }),
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe('input "input" has a "shared_memory_offset" that is not an int64_param');
      expect(
        await refused(
          withParameters({ ...inSharedMemory("in", 32), shared_memory_offset: { int64_param: -4 } }),
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe('input "input" has "shared_memory_offset" -4; expected a whole number of bytes');
    });

    it("naming a region that is not registered (NOT_FOUND, as Triton)", async () => {
      expect(await refused(withParameters(inSharedMemory("nowhere", 32)), grpc.status.NOT_FOUND)).toBe(
        'input "input" names system shared memory region "nowhere", which is not registered',
      );
    });

    it("placing a tensor past the end of its region", async () => {
      expect(
        await refused(withParameters(inSharedMemory("in", 32, 2040)), grpc.status.INVALID_ARGUMENT),
      ).toBe(
        'input "input" would take bytes 2040 to 2072 of region "in", which has 2048 bytes; offset + byte size must fit in the region',
      );
      expect(
        await refused(withParameters(inSharedMemory("in", 32, 2048)), grpc.status.INVALID_ARGUMENT),
      ).toBe(
        'input "input" would take bytes 2048 to 2080 of region "in", which has 2048 bytes; offset + byte size must fit in the region',
      );
    });

    it("whose byte size is not the shape's", async () => {
      expect(await refused(withParameters(inSharedMemory("in", 28)), grpc.status.INVALID_ARGUMENT)).toBe(
        'input "input" has shared_memory_byte_size 28; shape [2, 4] of FP32 needs 32',
      );
    });

    it("over INFERENCE_MAX_TENSOR_BYTES, before reading anything", async () => {
      expect(
        await refused(
          {
            inputs: [
              { name: "input", datatype: "FP32", shape: [300, 4], parameters: inSharedMemory("in", 1200) },
            ],
          },
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe(
        `input "input" has shape [300, 4], 4800 bytes of FP32; at most ${TENSOR_LIMIT} bytes are allowed per input (INFERENCE_MAX_TENSOR_BYTES)`,
      );
    });

    it("of BYTES, which the tier does not carry in shared memory or anywhere", async () => {
      expect(
        await refused(
          {
            inputs: [{ name: "input", datatype: "BYTES", shape: [2], parameters: inSharedMemory("in", 16) }],
          },
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe('input "input" has datatype "BYTES", which this tier does not carry');
    });

    it("with contents beside its region, or raw contents for an input in shared memory", async () => {
      expect(
        await refused(
          {
            inputs: [{ ...classifierInput(inSharedMemory("in", 32)), contents: { fp32_contents: rows } }],
          },
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe('input "input" has contents but is placed in shared memory; use one or the other');
      expect(
        await refused(
          { inputs: [classifierInput(inSharedMemory("in", 32))], raw_input_contents: [rowBytes] },
          grpc.status.INVALID_ARGUMENT,
        ),
      ).toBe(
        "the request has 0 inputs outside shared memory but 1 raw_input_contents entries; expected one per input outside shared memory",
      );
    });

    it("asking for an output in a region that is not registered, before running anything", async () => {
      expect(
        await refused(
          {
            inputs: [classifierInput()],
            raw_input_contents: [rowBytes],
            outputs: [{ name: "probabilities", parameters: inSharedMemory("elsewhere", 24) }],
          },
          grpc.status.NOT_FOUND,
        ),
      ).toBe('output "probabilities" names system shared memory region "elsewhere", which is not registered');
    });
  });

  it("writes no output when one does not fit its place", async () => {
    const bytes = await object.read(0, OBJECT_BYTES);
    const error = await callError(
      client.call("ModelInfer", {
        model_name: "classifier",
        inputs: [classifierInput()],
        raw_input_contents: [rowBytes],
        outputs: [
          { name: "logits", parameters: inSharedMemory("out", 24, 0) },
          { name: "probabilities", parameters: inSharedMemory("out", 16, 100) },
        ],
      }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe(
      'output "probabilities" has 24 bytes, more than its shared_memory_byte_size 16 in region "out"; nothing was written',
    );
    expect(await object.read(0, OBJECT_BYTES)).toEqual(bytes);
  });
});
