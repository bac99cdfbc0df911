import { limits } from "../limits";
import {
  describeValue,
  readArray,
  readBoundedString,
  readInteger,
  readObject,
  readOneOf,
  rejectUnknownKeys,
} from "./config-reader";
import { invalidArgument } from "./errors";
import type { ModelTask, Preprocessing } from "./model-runner";

/** The execution providers a configuration may ask for, in the order they are preferred. */
export const executionProviderNames = ["tensorrt", "cuda", "cpu"] as const;
export type ExecutionProvider = (typeof executionProviderNames)[number];

/** Tessera's own settings, carried as string parameters of a Triton model configuration. */
export interface TesseraSettings {
  task: ModelTask;
  labels: string[];
  preprocessing: Preprocessing | null;
  /** Ordered, always ending with "cpu"; null → chosen from the instance group's kind. */
  executionProviders: ExecutionProvider[] | null;
  embeddingOutput: string | null;
  /** "triton": the model lives on the Triton server at TRITON_URL and inference is forwarded there. */
  hostedOn: "tier" | "triton";
  /**
   * onnxruntime intra-op threads per instance; absent → the host's cores divided among the
   * instances, so that instances never ask for more threads than there are cores.
   */
  intraOpThreads?: number;
}

/**
 * Each intra-op thread is an OS thread per instance; beyond the host's cores more threads only
 * take turns, so this bound is generous and exists to refuse nonsense before threads are made.
 */
export const maxIntraOpThreads = 256;

const tasks: readonly ModelTask[] = [
  "classification",
  "embedding",
  "depth",
  "segmentation",
  "detection",
  "raw",
];

const parameterNames = [
  "tessera.task",
  "tessera.labels",
  "tessera.preprocessing",
  "tessera.execution_providers",
  "tessera.embedding_output",
  "tessera.hosted_on",
  "tessera.intra_op_threads",
];

/**
 * Reads the `tessera.*` entries of config.parameters; other parameters are the model's own.
 * `maxImageSize` bounds the preprocessing width and height (INFERENCE_MAX_PREPROCESSING_SIZE).
 */
export function readTesseraSettings(
  parameters: Record<string, string>,
  maxImageSize: number,
): TesseraSettings {
  const unknown = Object.keys(parameters).filter(
    (key) => key.startsWith("tessera.") && !parameterNames.includes(key),
  );
  if (unknown.length > 0) {
    throw invalidArgument(
      `config.parameters has ${unknown.map((key) => `"${key}"`).join(", ")}, which this tier does not know; ` +
        `Tessera's parameters are ${parameterNames.join(", ")}`,
    );
  }
  const task = parameters["tessera.task"];
  const labels = parameters["tessera.labels"];
  const preprocessing = parameters["tessera.preprocessing"];
  const providers = parameters["tessera.execution_providers"];
  const hostedOn = parameters["tessera.hosted_on"];
  const intraOpThreads = parameters["tessera.intra_op_threads"];
  return {
    task: task === undefined ? "raw" : readOneOf(task, 'config.parameters["tessera.task"]', tasks),
    labels: labels === undefined ? [] : readLabels(labels),
    preprocessing: preprocessing === undefined ? null : readPreprocessing(preprocessing, maxImageSize),
    executionProviders: providers === undefined ? null : readExecutionProviders(providers),
    embeddingOutput: parameters["tessera.embedding_output"] || null,
    hostedOn:
      hostedOn === undefined
        ? "tier"
        : readOneOf(hostedOn, 'config.parameters["tessera.hosted_on"]', ["tier", "triton"] as const),
    intraOpThreads:
      intraOpThreads === undefined
        ? undefined
        : readInteger(intraOpThreads, 'config.parameters["tessera.intra_op_threads"]', 1, maxIntraOpThreads),
  };
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidArgument(`${path} must hold JSON, got ${describeValue(text)}`);
  }
}

function readLabels(text: string): string[] {
  const path = 'config.parameters["tessera.labels"]';
  return readArray(parseJson(text, path), path, limits.labels).map((label, index) =>
    readBoundedString(label, `${path}[${index}]`, limits.labelLength),
  );
}

const preprocessingKeys = ["width", "height", "layout", "colorOrder", "mean", "std", "resize"];

/** Fields left out take the neutral choice: the model's own size, NCHW, RGB, no normalisation, stretch. */
function readPreprocessing(text: string, maxImageSize: number): Preprocessing {
  const path = 'config.parameters["tessera.preprocessing"]';
  const object = readObject(parseJson(text, path), path);
  rejectUnknownKeys(object, path, preprocessingKeys);
  // Every request allocates width × height × 3 floats: refused here, before any request comes.
  const size = (key: "width" | "height") =>
    object[key] === undefined || object[key] === null
      ? null
      : readInteger(object[key], `${path}.${key}`, 1, maxImageSize);
  return {
    width: size("width"),
    height: size("height"),
    layout:
      object.layout === undefined ? "NCHW" : readOneOf(object.layout, `${path}.layout`, ["NCHW", "NHWC"]),
    colorOrder:
      object.colorOrder === undefined
        ? "RGB"
        : readOneOf(object.colorOrder, `${path}.colorOrder`, ["RGB", "BGR"] as const),
    mean: object.mean === undefined ? [0, 0, 0] : readTriple(object.mean, `${path}.mean`, false),
    std: object.std === undefined ? [1, 1, 1] : readTriple(object.std, `${path}.std`, true),
    resize:
      object.resize === undefined
        ? "stretch"
        : readOneOf(object.resize, `${path}.resize`, ["stretch", "cover", "letterbox"] as const),
  };
}

function readTriple(value: unknown, path: string, positive: boolean): [number, number, number] {
  const values = readArray(value, path);
  const valid = values.every(
    (item) => typeof item === "number" && Number.isFinite(item) && (!positive || item > 0),
  );
  if (values.length !== 3 || !valid) {
    throw invalidArgument(
      `${path} must be 3 ${positive ? "positive " : ""}numbers (one per channel), got ${describeValue(value)}`,
    );
  }
  return values as [number, number, number];
}

/** "cuda,cpu" → ["cuda", "cpu"]; CPU is always the last resort, so it is added when left out. */
function readExecutionProviders(text: string): ExecutionProvider[] {
  const path = 'config.parameters["tessera.execution_providers"]';
  const names = text
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const providers = names.map((name) => readOneOf(name, path, executionProviderNames));
  return [...new Set<ExecutionProvider>([...providers, "cpu"])];
}
