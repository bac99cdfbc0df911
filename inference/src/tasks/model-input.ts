import type { ResizeTarget } from "../images/decode-image";
import { imageNetNormalisation, type PixelNormalisation } from "../images/image-tensor";
import { failedPrecondition } from "../runtime/errors";
import type { ModelDescription } from "../runtime/model-runner";
import { describeModel } from "./model-task";

/** How images enter one model: which input, at what size, normalised how, how many per run. */
export interface ImageInputPlan {
  inputName: string;
  normalisation: PixelNormalisation;
  /** The size every image is resized to, or null when the model takes each image at its own size. */
  size: { width: number; height: number } | null;
  fit: ResizeTarget["fit"];
  /** Images one `infer` call may carry: the model's max batch size, 1 for a model without batching. */
  maxImagesPerRun: number;
  /** Whether the tensor starts with a batch dimension (of `count`, or a fixed 1). */
  hasBatchDimension: boolean;
  /** The input tensor's shape for `count` images of width × height. */
  shapeFor(count: number, width: number, height: number): number[];
}

export interface PlanOptions {
  /**
   * Depth and segmentation answer per input pixel, so their images are stretched whatever the
   * model's preprocessing says: a centre crop would leave parts of the image without an answer.
   */
  dense: boolean;
}

/**
 * Reads the image input off a model description: one FLOAT32 input of [3, H, W] or [H, W, 3]
 * after the batch dimension (Triton leaves the batch out of the spec when max_batch_size > 0; a
 * model without batching may still take a fixed leading 1). The description's preprocessing wins;
 * without one the model's own input size, RGB and ImageNet's mean and std are used.
 */
export function planImageInput(model: ModelDescription, options: PlanOptions): ImageInputPlan {
  if (model.inputFeatures) {
    throw failedPrecondition(
      `${describeModel(model)} takes "${model.inputFeatures}" feature vectors, not images; Classify is the only task that serves it`,
    );
  }
  const [input, ...others] = model.inputs;
  if (!input || others.length > 0) {
    throw failedPrecondition(
      `${describeModel(model)} has ${model.inputs.length} inputs (${model.inputs.map((spec) => spec.name).join(", ")}); the task API feeds one image input`,
    );
  }
  if (input.dataType !== "FLOAT32") {
    throw failedPrecondition(
      `${describeModel(model)} takes ${input.dataType} input "${input.name}"; the task API feeds FLOAT32 images`,
    );
  }
  const batched = model.maxBatchSize > 0;
  const fixedLeadingOne =
    !batched && input.shape.length === 4 && (input.shape[0] === 1 || input.shape[0] === -1);
  const imageDims = batched || !fixedLeadingOne ? input.shape : input.shape.slice(1);
  if (imageDims.length !== 3) {
    throw failedPrecondition(
      `${describeModel(model)} input "${input.name}" has shape [${input.shape.join(", ")}]${batched ? " after the batch dimension" : ""}; expected [3, height, width] or [height, width, 3]`,
    );
  }
  const preprocessing = model.preprocessing;
  const layout = preprocessing?.layout ?? detectLayout(imageDims);
  const [channels, height, width] =
    layout === "NCHW" ? imageDims : [imageDims[2], imageDims[0], imageDims[1]];
  if (channels !== 3 && channels !== -1) {
    throw failedPrecondition(
      `${describeModel(model)} input "${input.name}" has ${channels} channels in ${layout} layout; the task API feeds 3-channel colour images`,
    );
  }
  const size =
    preprocessing?.width && preprocessing.height
      ? { width: preprocessing.width, height: preprocessing.height }
      : width! > 0 && height! > 0
        ? { width: width!, height: height! }
        : null;
  const hasBatchDimension = batched || fixedLeadingOne;
  return {
    inputName: input.name,
    normalisation: {
      layout,
      colorOrder: preprocessing?.colorOrder ?? "RGB",
      mean: preprocessing?.mean ?? [...imageNetNormalisation.mean],
      std: preprocessing?.std ?? [...imageNetNormalisation.std],
    },
    size,
    fit: options.dense ? "stretch" : (preprocessing?.resize ?? "stretch"),
    maxImagesPerRun: batched ? model.maxBatchSize : 1,
    hasBatchDimension,
    shapeFor(count, imageWidth, imageHeight) {
      const dims = layout === "NCHW" ? [3, imageHeight, imageWidth] : [imageHeight, imageWidth, 3];
      return hasBatchDimension ? [count, ...dims] : dims;
    },
  };
}

/** Channels first unless only the last dimension can hold three colours. */
function detectLayout(dims: readonly number[]): "NCHW" | "NHWC" {
  return dims[0] !== 3 && dims[2] === 3 ? "NHWC" : "NCHW";
}
