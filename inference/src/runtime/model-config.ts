import { limits } from "../limits";
import {
  readArray,
  readBoolean,
  readInteger,
  readObject,
  readOneOf,
  readString,
  rejectUnknownKeys,
  type JsonObject,
} from "./config-reader";
import { invalidArgument } from "./errors";
import type { TensorDataType } from "./model-runner";
import { configDataTypeNames, dataTypeOfConfig } from "./tensor-types";
import { readTesseraSettings, type TesseraSettings } from "./tessera-parameters";

/** A tensor as a Triton configuration declares it: with max_batch_size > 0, `dims` omit the batch. */
export interface TensorConfig {
  name: string;
  dataType: TensorDataType;
  dims: number[];
  /** Triton's image layout hint (FORMAT_NCHW, …), kept for clients that read it. */
  format?: TensorFormat;
}

const tensorFormats = ["FORMAT_NONE", "FORMAT_NHWC", "FORMAT_NCHW"] as const;
export type TensorFormat = (typeof tensorFormats)[number];

export interface DynamicBatchingSettings {
  preferredBatchSizes: number[];
  maxQueueDelayMicroseconds: number;
}

export const instanceKinds = ["KIND_AUTO", "KIND_GPU", "KIND_CPU"] as const;
export type InstanceKind = (typeof instanceKinds)[number];

/**
 * A model configuration as sent in RepositoryModelLoad's "config" parameter, checked. What the
 * configuration leaves out (null here) is completed from the ONNX file, as Triton's auto-complete does.
 */
export interface ModelSettings {
  name: string;
  platform: string;
  maxBatchSize: number | null;
  inputs: TensorConfig[] | null;
  outputs: TensorConfig[] | null;
  /** null: not asked for (still enabled when max_batch_size is left to the model and it batches). */
  dynamicBatching: DynamicBatchingSettings | null;
  /** Requests waiting per model version before new ones get RESOURCE_EXHAUSTED. */
  maxQueueSize: number;
  instanceCount: number;
  instanceKind: InstanceKind;
  defaultModelFilename: string;
  /** Every config.parameters entry, Tessera's and the model's own, as given. */
  parameters: Record<string, string>;
  tessera: TesseraSettings;
}

export interface ModelConfigOptions {
  /** max_queue_size when the configuration sets none. */
  defaultMaxQueueSize: number;
  /** Largest preprocessing width or height (INFERENCE_MAX_PREPROCESSING_SIZE). */
  maxPreprocessingSize: number;
}

const bounds = limits.model;

export const onnxPlatform = "onnxruntime_onnx";

const topLevelKeys = [
  "name",
  "platform",
  "backend",
  "max_batch_size",
  "input",
  "output",
  "dynamic_batching",
  "instance_group",
  "parameters",
  "default_model_filename",
];

/**
 * Parses Triton's JSON form of a model configuration (field names as in model_config.proto).
 * Every size and count is checked against its limit (limits.ts) here, before anything is loaded.
 */
export function readModelConfig(modelName: string, json: string, options: ModelConfigOptions): ModelSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw invalidArgument(`the "config" parameter must be JSON: ${(error as Error).message}`);
  }
  const config = readObject(parsed, "config");
  rejectUnknownKeys(config, "config", topLevelKeys);
  if (config.name !== undefined && readString(config.name, "config.name") !== modelName) {
    throw invalidArgument(
      `config.name is "${String(config.name)}" but the model being loaded is "${modelName}"`,
    );
  }
  const parameters = readParameters(config.parameters);
  const tessera = readTesseraSettings(parameters, options.maxPreprocessingSize);
  const maxBatchSize =
    config.max_batch_size === undefined
      ? null
      : readInteger(config.max_batch_size, "config.max_batch_size", 0, bounds.maxBatchSize);
  const batching =
    config.dynamic_batching === undefined ? null : readDynamicBatching(config.dynamic_batching);
  if (batching && maxBatchSize === 0) {
    throw invalidArgument("config.dynamic_batching needs config.max_batch_size > 0, got 0");
  }
  const tooLarge = batching?.settings.preferredBatchSizes.find(
    (size) => maxBatchSize !== null && size > maxBatchSize,
  );
  if (tooLarge !== undefined) {
    throw invalidArgument(
      `config.dynamic_batching.preferred_batch_size has ${tooLarge}, over config.max_batch_size ${maxBatchSize}`,
    );
  }
  const instances = readInstanceGroups(config.instance_group);
  return {
    name: modelName,
    platform: readPlatform(config, tessera),
    maxBatchSize,
    inputs: config.input === undefined ? null : readTensors(config.input, "config.input"),
    outputs: config.output === undefined ? null : readTensors(config.output, "config.output"),
    dynamicBatching: batching?.settings ?? null,
    maxQueueSize: batching?.maxQueueSize || options.defaultMaxQueueSize,
    instanceCount: instances.count,
    instanceKind: instances.kind,
    defaultModelFilename:
      config.default_model_filename === undefined
        ? "model.onnx"
        : readString(config.default_model_filename, "config.default_model_filename"),
    parameters,
    tessera,
  };
}

/** Models the tier runs itself must be ONNX; a Triton-hosted model may be anything Triton runs. */
function readPlatform(config: JsonObject, tessera: TesseraSettings): string {
  const platform = config.platform === undefined ? "" : readString(config.platform, "config.platform");
  const backend = config.backend === undefined ? "" : readString(config.backend, "config.backend");
  if (tessera.hostedOn === "triton") return platform || onnxPlatform;
  if ((platform && platform !== onnxPlatform) || (backend && backend !== "onnxruntime")) {
    throw invalidArgument(
      `this tier runs ONNX models (platform "${onnxPlatform}", backend "onnxruntime"), got ` +
        `platform "${platform}", backend "${backend}"; set parameters "tessera.hosted_on" to "triton" to serve it from Triton`,
    );
  }
  return onnxPlatform;
}

function readParameters(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const object = readObject(value, "config.parameters");
  return Object.fromEntries(
    Object.entries(object).map(([key, entry]) => {
      const path = `config.parameters["${key}"]`;
      const parameter = readObject(entry, path);
      rejectUnknownKeys(parameter, path, ["string_value"]);
      return [key, readString(parameter.string_value, `${path}.string_value`)];
    }),
  );
}

function readTensors(value: unknown, path: string): TensorConfig[] {
  const tensors = readArray(value, path, bounds.tensors).map((item, index) => {
    const at = `${path}[${index}]`;
    const tensor = readObject(item, at);
    rejectUnknownKeys(tensor, at, ["name", "data_type", "dims", "format"]);
    const dataType = readOneOf(tensor.data_type, `${at}.data_type`, configDataTypeNames);
    const config: TensorConfig = {
      name: readString(tensor.name, `${at}.name`),
      dataType: dataTypeOfConfig(dataType)!,
      // Dimensions are checked against the file, never allocated from: only their count is bounded.
      dims: readArray(tensor.dims, `${at}.dims`, limits.tensorRank).map((dim, d) =>
        readInteger(dim, `${at}.dims[${d}]`, -1),
      ),
    };
    if (tensor.format !== undefined) config.format = readOneOf(tensor.format, `${at}.format`, tensorFormats);
    return config;
  });
  const names = tensors.map((tensor) => tensor.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw invalidArgument(`${path} names "${repeated}" twice`);
  return tensors;
}

interface BatchingConfig {
  settings: DynamicBatchingSettings;
  maxQueueSize: number;
}

function readDynamicBatching(value: unknown): BatchingConfig {
  const path = "config.dynamic_batching";
  const object = readObject(value, path);
  rejectUnknownKeys(object, path, [
    "preferred_batch_size",
    "max_queue_delay_microseconds",
    "preserve_ordering",
    "default_queue_policy",
  ]);
  // Every request gets its own answer, so ordering across requests holds whatever the flag says.
  if (object.preserve_ordering !== undefined)
    readBoolean(object.preserve_ordering, `${path}.preserve_ordering`);
  let maxQueueSize = 0;
  if (object.default_queue_policy !== undefined) {
    const policyPath = `${path}.default_queue_policy`;
    const policy = readObject(object.default_queue_policy, policyPath);
    rejectUnknownKeys(policy, policyPath, ["max_queue_size"]);
    if (policy.max_queue_size !== undefined) {
      maxQueueSize = readInteger(
        policy.max_queue_size,
        `${policyPath}.max_queue_size`,
        0,
        bounds.maxQueueSize,
      );
    }
  }
  const preferred =
    object.preferred_batch_size === undefined
      ? []
      : readArray(
          object.preferred_batch_size,
          `${path}.preferred_batch_size`,
          bounds.preferredBatchSizes,
        ).map((size, index) =>
          readInteger(size, `${path}.preferred_batch_size[${index}]`, 1, bounds.maxBatchSize),
        );
  return {
    settings: {
      preferredBatchSizes: [...new Set(preferred)].sort((a, b) => a - b),
      maxQueueDelayMicroseconds:
        object.max_queue_delay_microseconds === undefined
          ? 0
          : readInteger(
              object.max_queue_delay_microseconds,
              `${path}.max_queue_delay_microseconds`,
              0,
              bounds.maxQueueDelayMicroseconds,
            ),
    },
    maxQueueSize,
  };
}

function readInstanceGroups(value: unknown): { count: number; kind: InstanceKind } {
  if (value === undefined) return { count: 1, kind: "KIND_AUTO" };
  const groups = readArray(value, "config.instance_group", bounds.instanceCount).map((item, index) => {
    const path = `config.instance_group[${index}]`;
    const group = readObject(item, path);
    rejectUnknownKeys(group, path, ["name", "count", "kind"]);
    if (group.name !== undefined) readString(group.name, `${path}.name`);
    return {
      // Triton's default count is 1 per group.
      count:
        group.count === undefined ? 1 : readInteger(group.count, `${path}.count`, 1, bounds.instanceCount),
      kind: group.kind === undefined ? "KIND_AUTO" : readOneOf(group.kind, `${path}.kind`, instanceKinds),
    };
  });
  if (groups.length === 0) return { count: 1, kind: "KIND_AUTO" };
  const kinds = new Set(groups.map((group) => group.kind));
  if (kinds.size > 1) {
    throw invalidArgument(
      `config.instance_group mixes kinds ${[...kinds].join(", ")}; this tier takes one kind`,
    );
  }
  const count = groups.reduce((sum, group) => sum + group.count, 0);
  if (count > bounds.instanceCount) {
    throw invalidArgument(
      `config.instance_group asks for ${count} instances in all; at most ${bounds.instanceCount} are allowed`,
    );
  }
  return { count, kind: groups[0]!.kind };
}
