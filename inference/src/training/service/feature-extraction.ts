import { augmentImage } from "../augment/augment-image";
import { augmentationVersion, drawAugmentation } from "../augment/augmentation";
import type { FeatureBase } from "../contracts";
import type { FeatureCache, FeatureKey } from "./feature-cache";
import { notStaged, type TrainingImageCache } from "./image-cache";

/** One vector to have: image `sha256` as it is (variant 0) or its augmented copy `variant`. */
export interface FeatureRequest {
  sha256: string;
  variant: number;
}

export interface ExtractionProgress {
  done: number;
  total: number;
  cached: number;
  seconds: number;
}

export interface ExtractionOptions {
  base: FeatureBase;
  images: TrainingImageCache;
  cache: FeatureCache;
  /** The run's seed: it draws the augmented copies. */
  seed: number;
  batchSize: number;
  signal: AbortSignal;
  onProgress(progress: ExtractionProgress): Promise<void>;
}

/** Vectors found, by `featureId`. */
export type ExtractedFeatures = Map<string, Float32Array>;

export const featureId = (sha256: string, variant: number) => `${sha256}:${variant}`;

/**
 * Every requested vector, from the feature cache where it is there, else from the base in
 * batches (an augmented copy is made from the staged image just before its batch); reports
 * progress once the cache has been read and after every batch.
 */
export async function extractFeatures(
  requests: readonly FeatureRequest[],
  options: ExtractionOptions,
): Promise<ExtractedFeatures> {
  const started = performance.now();
  const found: ExtractedFeatures = new Map();
  const toExtract: FeatureRequest[] = [];
  const unique = new Map(requests.map((request) => [featureId(request.sha256, request.variant), request]));
  for (const [id, request] of unique) {
    const vector = await options.cache.get(keyOf(options.base, request, options.seed));
    if (vector) found.set(id, vector);
    else toExtract.push(request);
  }
  const cached = found.size;
  const report = () =>
    options.onProgress({
      done: found.size,
      total: unique.size,
      cached,
      seconds: (performance.now() - started) / 1000,
    });
  await report();

  for (let start = 0; start < toExtract.length; start += options.batchSize) {
    options.signal.throwIfAborted();
    const batch = toExtract.slice(start, start + options.batchSize);
    const inputs = await Promise.all(batch.map((request) => inputOf(request, options)));
    const vectors = await options.base.extract(inputs, options.signal);
    for (const [index, request] of batch.entries()) {
      const vector = vectors[index]!;
      found.set(featureId(request.sha256, request.variant), vector);
      await options.cache.put(keyOf(options.base, request, options.seed), vector);
    }
    await report();
  }
  return found;
}

/** The encoded image the base sees: the staged bytes, or an augmented copy of them. */
async function inputOf(request: FeatureRequest, options: ExtractionOptions): Promise<Uint8Array> {
  const bytes = await options.images.read(request.sha256);
  if (!bytes) throw notStaged([request.sha256]);
  if (request.variant === 0) return bytes;
  return augmentImage(bytes, drawAugmentation(options.seed, request.sha256, request.variant));
}

/** Augmented copies depend on the seed and on how augmentation works; the original on neither. */
function keyOf(base: FeatureBase, request: FeatureRequest, seed: number): FeatureKey {
  const variant = request.variant === 0 ? "0" : `${request.variant}-${seed}-${augmentationVersion}`;
  return { base: base.key, sha256: request.sha256, variant };
}
