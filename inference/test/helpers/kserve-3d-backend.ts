/**
 * A stand-in for a GPU host running generative 3D models behind KServe v2 (Triton's protocol),
 * run by tests as its own process: `node --import tsx kserve-3d-backend.ts`. It prints
 * "listening <port>" once it serves. Its models answer known shapes so a test can check the
 * mesh the tier makes of them:
 * - "sphere-from-prompt" (TEXT_TO_3D): prompt BYTES [1] → density FP32 [N, N, N] of a ball of the
 *   radius the prompt names ("… radius 0.6 …", else 0.5) over the cube ±1, N the "grid"
 *   parameter (default 24).
 * - "sphere-from-image" (IMAGE_TO_3D): image UINT8 [H, W, 3] → sdf FP32 [24, 24, 24] of a ball of
 *   radius radiusForMeanLevel(the image's mean level), as generative-models.ts's ONNX fixture.
 * - "cube-glb" (TEXT_TO_3D): prompt → mesh_glb BYTES [1], a unit cube (12 triangles).
 * Any other name is NOT_FOUND, as Triton answers an unknown model.
 */
import { fileURLToPath } from "node:url";
import { Document, NodeIO } from "@gltf-transform/core";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { radiusForMeanLevel } from "./generative-models";

const definition = protoLoader.loadSync("kserve/grpc_service.proto", {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [fileURLToPath(new URL("../../../proto", import.meta.url))],
});
const { inference } = grpc.loadPackageDefinition(definition) as unknown as {
  inference: { GRPCInferenceService: { service: grpc.ServiceDefinition } };
};

interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
}
interface Model {
  inputs: Tensor[];
  outputs: Tensor[];
  answer(
    input: Buffer,
    shape: number[],
    parameters: Record<string, string>,
  ): Promise<{ output: Tensor; raw: Buffer }>;
}

const models: Record<string, Model> = {
  "sphere-from-prompt": {
    inputs: [{ name: "prompt", datatype: "BYTES", shape: [1] }],
    outputs: [{ name: "density", datatype: "FP32", shape: [-1, -1, -1] }],
    answer: async (input, _shape, parameters) => {
      const prompt = input.subarray(4, 4 + input.readUInt32LE(0)).toString("utf8");
      const radius = Number(/radius ([\d.]+)/.exec(prompt)?.[1] ?? 0.5);
      const side = Number(parameters.grid ?? 24);
      // A soft ball: high density well inside, none outside, a ramp one voxel wide at the radius.
      const voxel = 2 / (side - 1);
      const values = grid(
        side,
        (distance) => 40 * Math.min(1, Math.max(0, (radius - distance) / voxel + 0.5)),
      );
      return {
        output: { name: "density", datatype: "FP32", shape: [side, side, side] },
        raw: floats(values),
      };
    },
  },
  "sphere-from-image": {
    inputs: [{ name: "image", datatype: "UINT8", shape: [-1, -1, 3] }],
    outputs: [{ name: "sdf", datatype: "FP32", shape: [24, 24, 24] }],
    answer: async (input) => {
      const mean = input.reduce((sum, level) => sum + level, 0) / input.length;
      const values = grid(24, (distance) => distance - radiusForMeanLevel(mean));
      return { output: { name: "sdf", datatype: "FP32", shape: [24, 24, 24] }, raw: floats(values) };
    },
  },
  "cube-glb": {
    inputs: [{ name: "prompt", datatype: "BYTES", shape: [1] }],
    outputs: [{ name: "mesh_glb", datatype: "BYTES", shape: [1] }],
    answer: async () => {
      const glb = await cubeGlb();
      const raw = Buffer.alloc(4 + glb.length);
      raw.writeUInt32LE(glb.length, 0);
      raw.set(glb, 4);
      return { output: { name: "mesh_glb", datatype: "BYTES", shape: [1] }, raw };
    },
  },
};

/** Values at the grid points of the cube ±1, x fastest, from the distance to the centre. */
function grid(side: number, value: (distance: number) => number): Float32Array {
  const values = new Float32Array(side ** 3);
  const at = (index: number) => -1 + (2 * index) / (side - 1);
  for (let k = 0; k < side; k++)
    for (let j = 0; j < side; j++)
      for (let i = 0; i < side; i++)
        values[i + side * (j + side * k)] = value(Math.hypot(at(i), at(j), at(k)));
  return values;
}

const floats = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

async function cubeGlb(): Promise<Uint8Array> {
  const document = new Document();
  const buffer = document.createBuffer();
  const corners = Float32Array.from(
    [0, 1, 2, 3, 4, 5, 6, 7].flatMap((c) => [c & 1, (c >> 1) & 1, (c >> 2) & 1].map((v) => v - 0.5)),
  );
  const faces = [
    [0, 2, 3, 1],
    [4, 5, 7, 6],
    [0, 1, 5, 4],
    [2, 6, 7, 3],
    [0, 4, 6, 2],
    [1, 3, 7, 5],
  ];
  const indices = Uint16Array.from(faces.flatMap(([a, b, c, d]) => [a!, b!, c!, a!, c!, d!]));
  const primitive = document
    .createPrimitive()
    .setAttribute("POSITION", document.createAccessor().setType("VEC3").setArray(corners).setBuffer(buffer))
    .setIndices(document.createAccessor().setType("SCALAR").setArray(indices).setBuffer(buffer));
  const node = document.createNode().setMesh(document.createMesh().addPrimitive(primitive));
  document.getRoot().setDefaultScene(document.createScene().addChild(node));
  return new NodeIO().writeBinary(document);
}

type Call = grpc.ServerUnaryCall<{ name: string }, unknown>;

const unknownModel = (name: string) => ({
  code: grpc.status.NOT_FOUND,
  details: `Request for unknown model: '${name}' is not found`,
});

const server = new grpc.Server();
server.addService(inference.GRPCInferenceService.service, {
  ServerLive: (_call: Call, callback: grpc.sendUnaryData<object>) => callback(null, { live: true }),
  ServerReady: (_call: Call, callback: grpc.sendUnaryData<object>) => callback(null, { ready: true }),
  ModelReady: (call: Call, callback: grpc.sendUnaryData<object>) =>
    callback(null, { ready: Boolean(models[call.request.name]) }),
  ModelMetadata: (call: Call, callback: grpc.sendUnaryData<object>) => {
    const name = call.request.name;
    const model = models[name];
    if (!model) return callback(unknownModel(name));
    callback(null, {
      name,
      versions: ["1"],
      platform: "python",
      inputs: model.inputs,
      outputs: model.outputs,
    });
  },
  ModelInfer: (call: Call, callback: grpc.sendUnaryData<object>) => {
    const request = call.request as unknown as {
      model_name: string;
      inputs: Tensor[];
      raw_input_contents: Buffer[];
      parameters: Record<string, { string_param?: string }>;
    };
    const model = models[request.model_name];
    if (!model) return callback(unknownModel(request.model_name));
    const input = request.inputs[0];
    if (!input || input.name !== model.inputs[0]!.name || input.datatype !== model.inputs[0]!.datatype) {
      return callback({
        code: grpc.status.INVALID_ARGUMENT,
        details: `expected input ${model.inputs[0]!.name}`,
      });
    }
    const parameters = Object.fromEntries(
      Object.entries(request.parameters).map(([key, value]) => [key, value.string_param ?? ""]),
    );
    model.answer(request.raw_input_contents[0]!, input.shape.map(Number), parameters).then(
      ({ output, raw }) =>
        callback(null, {
          model_name: request.model_name,
          model_version: "1",
          outputs: [output],
          raw_output_contents: [raw],
        }),
      (error: unknown) => callback({ code: grpc.status.INTERNAL, details: String(error) }),
    );
  },
});
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`listening ${port}\n`);
});
// The IPC channel to the test keeps this process alive: exit outright when told to stop or when
// the test process goes away.
process.once("SIGTERM", () => process.exit(0));
process.once("disconnect", () => process.exit(0));
