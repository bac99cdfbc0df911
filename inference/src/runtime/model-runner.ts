/**
 * The seam between the serving runtime (sessions, batching, model states) and the task services
 * (classify, embed, depth, segment) that turn images into tensors and tensors into answers.
 */

export type TensorDataType =
  | "FLOAT32"
  | "FLOAT64"
  | "FLOAT16"
  | "INT8"
  | "INT16"
  | "INT32"
  | "INT64"
  | "UINT8"
  | "UINT16"
  | "UINT32"
  | "UINT64"
  | "BOOL"
  | "BYTES";

export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

export interface Tensor {
  dataType: TensorDataType;
  /** Concrete dimensions of this tensor (no -1). */
  shape: number[];
  data: TensorValues;
}

export interface TensorSpec {
  name: string;
  dataType: TensorDataType;
  /** -1 for a dynamic dimension. With max_batch_size > 0 the batch dimension is NOT included (Triton's convention). */
  shape: number[];
}

/** How an image becomes the model's input tensor. */
export interface Preprocessing {
  /** Target size; null → the model's fixed input size, else the image's own size. */
  width: number | null;
  height: number | null;
  layout: "NCHW" | "NHWC";
  colorOrder: "RGB" | "BGR";
  /** Per channel, applied as (pixel / 255 - mean) / std. */
  mean: [number, number, number];
  std: [number, number, number];
  /**
   * "stretch" resizes to exactly width×height; "cover" keeps aspect ratio and centre-crops;
   * "letterbox" keeps aspect ratio and pads the rest with grey 114 (what YOLO detectors expect).
   */
  resize: "stretch" | "cover" | "letterbox";
}

export type ModelTask = "classification" | "embedding" | "depth" | "segmentation" | "detection" | "raw";

export interface ModelDescription {
  name: string;
  /** Numeric string ("3"). */
  version: string;
  platform: string;
  /** 0 → the model takes no batch dimension. */
  maxBatchSize: number;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  task: ModelTask;
  labels: string[];
  preprocessing: Preprocessing | null;
  /** For embedding backbones: which output holds the pooled features. */
  embeddingOutput: string | null;
  /**
   * Whose feature vectors the model takes instead of images, from its ONNX metadata_props
   * "tessera.features" ("feature-embedder/v1": a head trained on the built-in embedder). Absent
   * for models that take images.
   */
  inputFeatures?: string;
}

export interface RunOptions {
  /** Aborting removes a queued request from its batch (or ignores the result if already running). */
  signal?: AbortSignal;
  /** Names of outputs wanted; empty → all. */
  outputs?: string[];
}

export interface ModelRunner {
  /** The READY version named, or the newest READY version when `version` is empty. Throws TierError NOT_FOUND/UNAVAILABLE. */
  describe(name: string, version?: string): ModelDescription;
  /**
   * Runs one request (its own batch dimension included when maxBatchSize > 0) through the model's
   * dynamic batcher. Throws TierError (invalidArgument naming the tensor, resourceExhausted, …).
   */
  infer(
    name: string,
    version: string | undefined,
    inputs: Record<string, Tensor>,
    options?: RunOptions,
  ): Promise<Record<string, Tensor>>;
}
