import type * as grpc from "@grpc/grpc-js";
import type { GrpcAddress } from "@tessera/proto/address";
import type { ModelInferResponse__Output } from "@tessera/proto/generated/inference/ModelInferResponse";
import { openImage, type ImageLimits, type RgbPixels } from "../../images/decode-image";
import { KServeClient } from "../../kserve/client";
import { tierErrorCode } from "../../kserve/errors";
import { failedPrecondition, TierError } from "../../runtime/errors";
import type { ModelRepository } from "../../runtime/model-repository";
import type { ModelRunner } from "../../runtime/model-runner";
import { wireDataType } from "../../runtime/tensor-types";
import {
  backendBroke,
  checkGrid,
  checkSignature,
  deployHint,
  modelName,
  type GenerativeAnswer,
} from "./generative-contract";
import { decodeBytesElements, encodeBytesElements } from "./kserve-bytes";
import type { GenerativePlan } from "./reconstruction-plan";

export interface GenerativeBackends {
  runner: ModelRunner;
  models: ModelRepository;
  /** TRITON_URL, where models not on the tier (or marked hosted on Triton) are asked for. */
  triton: GrpcAddress | null;
  maxMessageBytes: number;
  imageLimits: ImageLimits;
}

/** A generative model found and checked against the contract, ready to run once. */
export interface GenerativeModel {
  run(signal: AbortSignal): Promise<GenerativeAnswer>;
  close(): void;
}

/**
 * Finds the model and checks its signature, so that a request nothing can answer fails before
 * any event. One that the tier runs itself goes through the runner (numeric tensors only, so an
 * image model). Everything else is called on Triton with the tier's KServe client directly,
 * because the runner cannot carry BYTES tensors (a prompt, a GLB): widening its Tensor type would
 * touch every task and the batcher for two tensors that are never batched.
 */
export async function openGenerativeModel(
  backends: GenerativeBackends,
  plan: GenerativePlan,
  signal: AbortSignal,
): Promise<GenerativeModel> {
  // triton_only: the name is a registry's word for a Triton model, so a model loaded here under
  // the same name (another user's, perhaps) must never answer for it.
  if (!plan.model.tritonOnly && servedByTier(backends.models, plan)) return openOnTier(backends, plan);
  if (!backends.triton) {
    throw failedPrecondition(
      plan.model.tritonOnly
        ? `${modelName(plan)} may run only on Triton and this tier has no TRITON_URL: ${deployHint(plan)}`
        : `${modelName(plan)} is not loaded on this tier and it has no TRITON_URL: ${deployHint(plan)}`,
    );
  }
  const client = new KServeClient(backends.triton, backends.maxMessageBytes);
  try {
    return await openOnTriton(client, backends, plan, signal);
  } catch (error) {
    client.close();
    throw error;
  }
}

function servedByTier(models: ModelRepository, plan: GenerativePlan): boolean {
  try {
    return (
      models.resolve(plan.model.name, plan.model.version || undefined).settings.tessera.hostedOn === "tier"
    );
  } catch (error) {
    if (error instanceof TierError && (error.code === "NOT_FOUND" || error.code === "UNAVAILABLE"))
      return false;
    throw error;
  }
}

function openOnTier(backends: GenerativeBackends, plan: GenerativePlan): GenerativeModel {
  const model = backends.runner.describe(plan.model.name, plan.model.version || undefined);
  const output = checkSignature(plan, {
    inputs: model.inputs.map((input) => ({ name: input.name, datatype: wireDataType(input.dataType) })),
    outputs: model.outputs.map((entry) => ({ name: entry.name, datatype: wireDataType(entry.dataType) })),
  });
  if (output === "mesh_glb") throw backendBroke(plan, "mesh_glb, which a model on this tier cannot carry");
  return {
    run: async (signal) => {
      const pixels = await decodeImage(plan, backends.imageLimits);
      const shape = [pixels.height, pixels.width, 3];
      const outputs = await backends.runner.infer(
        model.name,
        model.version,
        {
          image: {
            dataType: "UINT8",
            shape: model.maxBatchSize > 0 ? [1, ...shape] : shape,
            data: pixels.data,
          },
        },
        { signal, outputs: [output] },
      );
      const tensor = outputs[output];
      if (!tensor || !(tensor.data instanceof Float32Array))
        throw backendBroke(plan, `${output} that is not FP32`);
      return checkGrid(plan, output, tensor.shape, tensor.data);
    },
    close: () => {},
  };
}

async function openOnTriton(
  client: KServeClient,
  backends: GenerativeBackends,
  plan: GenerativePlan,
  signal: AbortSignal,
): Promise<GenerativeModel> {
  const target = backends.triton!.target;
  const call = async <T>(rpc: string, answer: Promise<T>): Promise<T> => {
    try {
      return await answer;
    } catch (error) {
      throw tritonError(plan, target, rpc, error as grpc.ServiceError);
    }
  };
  const metadata = await call(
    "ModelMetadata",
    client.call(
      "ModelMetadata",
      { name: plan.model.name, version: plan.model.version },
      { deadlineMs: 30_000, signal },
    ),
  );
  const output = checkSignature(plan, metadata);
  // A model that batches declares its inputs with a leading batch dimension.
  const batched = (name: string) => {
    const entry = metadata.inputs.find((input) => input.name === name);
    return entry !== undefined && entry.shape.length === (name === "prompt" ? 2 : 4);
  };
  return {
    run: async (runSignal) => {
      const input = await inputTensor(plan, backends.imageLimits);
      const shape = batched(input.name) ? [1, ...input.shape] : input.shape;
      const response = await call(
        "ModelInfer",
        client.call(
          "ModelInfer",
          {
            model_name: plan.model.name,
            model_version: plan.model.version,
            inputs: [{ name: input.name, datatype: input.datatype, shape }],
            raw_input_contents: [input.raw],
            outputs: [{ name: output }],
            parameters: Object.fromEntries(
              Object.entries(plan.parameters).map(([key, value]) => [key, { string_param: value }]),
            ),
          },
          { signal: runSignal },
        ),
      );
      return readAnswer(plan, response, output);
    },
    close: () => client.close(),
  };
}

async function inputTensor(plan: GenerativePlan, imageLimits: ImageLimits) {
  if (plan.method === "TEXT_TO_3D") {
    return {
      name: "prompt",
      datatype: "BYTES",
      shape: [1],
      raw: encodeBytesElements([Buffer.from(plan.prompt, "utf8")]),
    };
  }
  const pixels = await decodeImage(plan, imageLimits);
  return {
    name: "image",
    datatype: "UINT8",
    shape: [pixels.height, pixels.width, 3],
    raw: Buffer.from(pixels.data),
  };
}

function decodeImage(plan: GenerativePlan, imageLimits: ImageLimits): Promise<RgbPixels> {
  return openImage(plan.image, imageLimits).then((image) => image.rgb());
}

function readAnswer(
  plan: GenerativePlan,
  response: ModelInferResponse__Output,
  output: "mesh_glb" | "density" | "sdf",
): GenerativeAnswer {
  const index = response.outputs.findIndex((entry) => entry.name === output);
  const entry = response.outputs[index];
  if (!entry) throw backendBroke(plan, `no ${output} output`);
  const raw = response.raw_output_contents[index];
  if (output === "mesh_glb") {
    const elements = raw ? decodeBytesElements(raw) : entry.contents?.bytes_contents;
    const glb = elements?.length === 1 ? elements[0] : undefined;
    if (entry.datatype !== "BYTES" || !glb)
      throw backendBroke(plan, "mesh_glb that is not one BYTES element");
    // A copy: the element starts 4 bytes into the tensor, and a GLB's chunks are read as 32-bit words.
    return { kind: "mesh_glb", glb: Uint8Array.from(glb) };
  }
  if (entry.datatype !== "FP32") throw backendBroke(plan, `${output} as ${entry.datatype}, not FP32`);
  const values = raw
    ? new Float32Array(
        raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength - (raw.byteLength % 4)),
      )
    : Float32Array.from(entry.contents?.fp32_contents ?? []);
  return checkGrid(plan, output, entry.shape.map(Number), values);
}

/**
 * Triton's answer as the tier's: a model it does not know or that is not ready means nothing is
 * deployed to answer, FAILED_PRECONDITION naming what to deploy; anything else passes through.
 */
function tritonError(plan: GenerativePlan, target: string, rpc: string, error: grpc.ServiceError): TierError {
  if (error instanceof TierError) return error;
  const code = typeof error.code === "number" ? tierErrorCode(error.code) : "INTERNAL";
  const missing =
    code === "NOT_FOUND" ||
    (code === "UNAVAILABLE" &&
      /unknown model|not found|not ready|no ready version/i.test(error.details ?? ""));
  if (missing) {
    return failedPrecondition(
      `${modelName(plan)} is not served by Triton at ${target} (${error.details}): ${deployHint(plan)}`,
    );
  }
  if (code === "CANCELLED") return new TierError("CANCELLED", "The call was cancelled");
  return new TierError(code, `Triton at ${target} answered ${rpc} with ${code}: ${error.details}`);
}
