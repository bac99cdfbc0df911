import { qualityThresholds as limits } from "./quality-thresholds";
import {
  fraction,
  plural,
  round,
  type BaseModelInput,
  type Finding,
  type QualitySample,
} from "./quality-input";

export function unreadableFiles(
  skipped: readonly { path: string; reason: string }[],
  imageCount: number,
): Finding[] {
  if (skipped.length === 0) return [];
  return [
    {
      kind: "UNREADABLE_FILES",
      severity: "WARNING",
      sampleIds: [],
      recommendation:
        `${plural(skipped.length, "file was", "files were")} left out of the upload (listed in details with ` +
        `the reason): re-export or convert them to JPEG, PNG, WebP or GIF and upload again, or delete them from the source`,
      explanation: `The upload could not read ${plural(skipped.length, "file")} as an image; the first: ${skipped[0]!.path} (${skipped[0]!.reason}).`,
      details: {
        affectedFraction: fraction(skipped.length, imageCount + skipped.length),
        files: skipped.map(({ path, reason }) => ({ path, reason })),
      },
    },
  ];
}

/** How many times the model's preprocessing must enlarge the image along its worse axis. */
export const upscaleOf = (sample: QualitySample, model: BaseModelInput) =>
  Math.max(model.width / sample.width, model.height / sample.height);

/**
 * Size means nothing on its own (28 px is the native size of a Fashion-MNIST model): an image is
 * low resolution only for a model that must enlarge it more than maxUpscale times.
 */
export function lowResolution(samples: readonly QualitySample[], model: BaseModelInput): Finding[] {
  const small = samples.filter((s) => upscaleOf(s, model) > limits.maxUpscale);
  if (small.length === 0) return [];
  const factors = small.map((s) => upscaleOf(s, model));
  const largest = Math.max(...factors);
  const smallest = Math.min(...factors);
  const range =
    round(smallest, 1) === round(largest, 1)
      ? `${round(largest, 1)}×`
      : `${round(smallest, 1)}× to ${round(largest, 1)}×`;
  const one = small.length === 1;
  return [
    {
      kind: "LOW_RESOLUTION",
      severity: "WARNING",
      sampleIds: small.map((s) => s.id),
      recommendation:
        `${plural(small.length, "image is", "images are")} much smaller than the ${model.width}×${model.height} input of ` +
        `base model ${model.name}, which will upscale ${one ? "it" : "them"} ${range}: use larger originals, ` +
        `or a base model made for images this size; upscaled they add blur, not detail`,
      explanation:
        `Judged against base model ${model.name}, whose input is ${model.width}×${model.height} (${model.source}): ` +
        `an image counts when its width or height must be enlarged more than ${limits.maxUpscale}× to fit; ` +
        `e.g. ${small[0]!.originalPath} is ${small[0]!.width}×${small[0]!.height}, enlarged ${round(factors[0]!, 1)}×.`,
      details: {
        affectedFraction: fraction(small.length, samples.length),
        baseModel: model.name,
        input: { width: model.width, height: model.height },
        maxUpscale: limits.maxUpscale,
        sizes: small.map((s, index) => ({
          id: s.id,
          width: s.width,
          height: s.height,
          upscale: round(factors[index]!, 2),
        })),
      },
    },
  ];
}
