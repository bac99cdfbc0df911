import type { ImageLimits, RgbPixels } from "../images/decode-image";
import { batchOfPixels, decodeImages, type DecodedImage } from "../images/image-batch";
import { failedPrecondition, invalidArgument } from "../runtime/errors";
import type { ModelDescription, ModelRunner, Tensor, TensorValues } from "../runtime/model-runner";
import type { ImageInputPlan } from "./model-input";
import { describeModel } from "./model-task";
import type { TaskContext } from "./task-context";

/** Typed arrays whose elements read as JavaScript numbers. */
export type NumberArray = Exclude<TensorValues, BigInt64Array | BigUint64Array>;

/** One image's share of an output: its values (a view, not a copy) and its shape without the batch dimension. */
export interface ImageOutput {
  dataType: Tensor["dataType"];
  shape: number[];
  values: NumberArray;
}

/**
 * How an output's values reach the task: "float64" copies them into a Float64Array (what most
 * tasks read); "as-is" leaves float32 or float64 outputs as views on the model's own array, for a
 * task that only reads them (detection: a 640×640 YOLO head is 84 × 8400 values per image).
 */
export type OutputValues = "float64" | "as-is";

/**
 * Runs images through the model in as few `infer` calls as its batch size allows (images of
 * different sizes, for a model that takes any size, go separately) and splits `outputName` back
 * per image, in order.
 */
export async function inferImages(
  runner: ModelRunner,
  model: ModelDescription,
  plan: ImageInputPlan,
  images: readonly RgbPixels[],
  outputName: string,
  signal?: AbortSignal,
  outputValues: OutputValues = "float64",
): Promise<ImageOutput[]> {
  const results: ImageOutput[] = [];
  for (const run of runsOf(images, plan.maxImagesPerRun)) {
    const first = run[0]!;
    const outputs = await runner.infer(
      model.name,
      model.version,
      {
        [plan.inputName]: {
          dataType: "FLOAT32",
          shape: plan.shapeFor(run.length, first.width, first.height),
          data: batchOfPixels(run, plan.normalisation),
        },
      },
      { signal, outputs: [outputName] },
    );
    results.push(
      ...splitPerImage(
        outputOf(model, outputs, outputName),
        run.length,
        plan.hasBatchDimension,
        outputValues,
      ),
    );
  }
  return results;
}

/** An image's size before it was resized for the model (to map dense answers back). */
type OriginalSize = Pick<DecodedImage, "originalWidth" | "originalHeight">;

/** Bytes one pixel takes in a model's float tensor: three float32 values. */
const tensorBytesPerPixel = 3 * Float32Array.BYTES_PER_ELEMENT;

/**
 * Encoded images decoded as `plan` feeds them (its size and fit, else each at its own size,
 * within the tier's image limits), then run as `inferImages` runs them. They are decoded and run
 * a group at a time, so the pixels held at once never make more than the tier's maxTensorBytes.
 */
export async function inferEncodedImages(
  context: TaskContext,
  model: ModelDescription,
  plan: ImageInputPlan,
  images: readonly Uint8Array[],
  outputName: string,
  signal?: AbortSignal,
  outputValues: OutputValues = "float64",
): Promise<{ originals: OriginalSize[]; outputs: ImageOutput[] }> {
  const { size, limits } = groupingOf(plan, context.imageLimits);
  const originals: OriginalSize[] = [];
  const outputs: ImageOutput[] = [];
  for (let start = 0; start < images.length; start += size) {
    const decoded = await decodeImages(
      images.slice(start, start + size),
      plan.size && { ...plan.size, fit: plan.fit },
      limits,
    );
    const pixels = decoded.map((image) => image.pixels);
    outputs.push(
      ...(await inferImages(context.runner, model, plan, pixels, outputName, signal, outputValues)),
    );
    originals.push(
      ...decoded.map(({ originalWidth, originalHeight }) => ({ originalWidth, originalHeight })),
    );
  }
  return { originals, outputs };
}

/**
 * How many images are decoded and run together, and the limits each is decoded under. At a
 * fixed size: as many as one run takes while their tensor fits maxTensorBytes. At their own
 * sizes: one at a time, each within maxTensorBytes (its header is read before its pixels).
 */
function groupingOf(plan: ImageInputPlan, limits: ImageLimits): { size: number; limits: ImageLimits } {
  const maxPixels = Math.floor(limits.maxTensorBytes / tensorBytesPerPixel);
  if (!plan.size) {
    return { size: 1, limits: { ...limits, maxInputPixels: Math.min(limits.maxInputPixels, maxPixels) } };
  }
  const { width, height } = plan.size;
  if (width * height > maxPixels) {
    throw invalidArgument(
      `The model takes images of ${width}×${height}, ${width * height * tensorBytesPerPixel} bytes each as a float ` +
        `tensor; the tier takes at most ${limits.maxTensorBytes} (INFERENCE_MAX_TENSOR_BYTES)`,
    );
  }
  return { size: Math.min(plan.maxImagesPerRun, Math.floor(maxPixels / (width * height))), limits };
}

/** The output the task reads: `preferred` when given, else the model's first output. */
export function outputNameOf(model: ModelDescription, preferred?: string | null): string {
  const name = preferred ?? model.outputs[0]?.name;
  if (!name) throw failedPrecondition(`${describeModel(model)} declares no outputs`);
  return name;
}

/** The named output of an `infer` answer; FAILED_PRECONDITION when the model left it out. */
export function outputOf(
  model: ModelDescription,
  outputs: Record<string, Tensor>,
  outputName: string,
): Tensor {
  const output = outputs[outputName];
  if (!output) throw failedPrecondition(`${describeModel(model)} returned no output "${outputName}"`);
  return output;
}

function* runsOf(images: readonly RgbPixels[], maxPerRun: number): Generator<RgbPixels[]> {
  let run: RgbPixels[] = [];
  for (const image of images) {
    const first = run[0];
    const fits = first && first.width === image.width && first.height === image.height;
    if (run.length > 0 && (!fits || run.length >= maxPerRun)) {
      yield run;
      run = [];
    }
    run.push(image);
  }
  if (run.length > 0) yield run;
}

function splitPerImage(
  output: Tensor,
  count: number,
  batched: boolean,
  outputValues: OutputValues,
): ImageOutput[] {
  const { data } = output;
  const values =
    outputValues === "as-is" && (data instanceof Float32Array || data instanceof Float64Array)
      ? data
      : numericValues(output);
  if (!batched) return [{ dataType: output.dataType, shape: output.shape, values }];
  if (output.shape[0] !== count) {
    throw failedPrecondition(
      `The model answered ${count} images with an output of shape [${output.shape.join(", ")}]; expected ${count} along the first dimension`,
    );
  }
  const shape = output.shape.slice(1);
  const perImage = values.length / count;
  return Array.from({ length: count }, (_, index) => ({
    dataType: output.dataType,
    shape,
    values: values.subarray(index * perImage, (index + 1) * perImage),
  }));
}

/** Output values as float64, whatever numeric type the model returns (int64 class indices included). */
export function numericValues(tensor: Tensor): Float64Array {
  if (tensor.dataType === "FLOAT16" || tensor.dataType === "BYTES" || tensor.dataType === "BOOL") {
    throw failedPrecondition(
      `The model returned ${tensor.dataType} output; the task API reads numeric outputs`,
    );
  }
  const { data } = tensor;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    return Float64Array.from(data, (value) => Number(value));
  }
  return Float64Array.from(data);
}
