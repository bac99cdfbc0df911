/**
 * The upper bound of every size and count a client of the tier can set, in one place: the tier
 * is called directly by KServe, task and training clients, so it checks them itself rather than
 * trusting the gateway. README.md's "Limits" section lists each with its reason. The two an
 * operator may move (INFERENCE_MAX_PREPROCESSING_SIZE, INFERENCE_MAX_TENSOR_BYTES) are settings in
 * config.ts; `defaultConfigurableLimits` are their defaults.
 */
export const limits = {
  model: {
    maxBatchSize: 1_024,
    preferredBatchSizes: 32,
    /** 10 s: a request waiting longer for company would rather run alone. */
    maxQueueDelayMicroseconds: 10_000_000,
    maxQueueSize: 1_000_000,
    /** Sessions of one version, over all instance groups; each holds the model's weights. */
    instanceCount: 64,
    /** Inputs or outputs a configuration declares. */
    tensors: 256,
  },
  /**
   * Labels of a model (tessera.labels) or of a training run: segmentation masks are 16-bit PNGs,
   * so 65,536 classes at most.
   */
  labels: 65_536,
  labelLength: 200,
  /** Dimensions of one tensor, in a configuration or a ModelInfer request (ONNX models rarely pass 8). */
  tensorRank: 16,
  /**
   * System shared memory (INFERENCE_ALLOW_CLIENT_SHM): regions registered at once, each holding an
   * open descriptor of its object until unregistered, and the length of a region's name.
   */
  sharedMemory: { regions: 64, nameLength: 256 },
  tasks: {
    topK: 1_000,
    /** Images of one Embed call; each is decoded at the model's input size before any runs. */
    embedImages: 256,
    /** Boxes one Detect answer may carry (max_detections); 0 asks for 300. */
    detections: 1_000,
  },
  training: {
    batchSize: 1_024,
    /** Hidden dense layers of a head, and the width of each: parameters grow with layers × width². */
    hiddenLayers: 8,
    hiddenUnits: 4_096,
    /** Each copy is another pass of every training image through the base model. */
    augmentedCopies: 16,
    /** Epochs of a run, and counts measured in epochs (patience, step size). */
    epochs: 100_000,
  },
} as const;

/** The bounds an operator may move (config.ts reads them from the environment). */
export interface ConfigurableLimits {
  /**
   * Largest width or height of tessera.preprocessing, and of the image size a task feeds a model:
   * every request allocates width × height × 3 floats, and more for a batch.
   */
  maxPreprocessingSize: number;
  /** Largest input tensor of a ModelInfer request, in bytes, checked before any copy is made. */
  maxTensorBytes: number;
}

export const defaultConfigurableLimits: ConfigurableLimits = {
  maxPreprocessingSize: 4_096,
  // 640 MiB: an image at the decode limit (50 megapixels) still fits as float32 values.
  maxTensorBytes: 640 * 1024 ** 2,
};
