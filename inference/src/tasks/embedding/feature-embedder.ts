import os from "node:os";
import { defaultImageLimits, type ImageLimits, type RgbPixels } from "../../images/decode-image";
import { decodeImages } from "../../images/image-batch";
import { invalidArgument } from "../../runtime/errors";
import {
  defaultFeatureEmbedderVersion,
  featureEmbedderModel,
  latestFeatureEmbedderVersion,
  type FeatureEmbedderVersion,
} from "./built-in-model";
import { DescriptorPool } from "./descriptor-pool";
import { descriptorImageSize } from "./image-descriptor";

export interface FeatureEmbedderOptions {
  /** Worker threads computing descriptors; default the number of cores, at most 4. */
  workers?: number;
  imageLimits?: ImageLimits;
}

export interface EmbedOptions {
  /** Length of each vector, 1…4096; default 256. */
  dimension?: number;
  /** Which descriptor: "1" (colour and texture, the default) or "2" (shape and layout). */
  version?: FeatureEmbedderVersion;
  signal?: AbortSignal;
}

/** Images per worker job: large enough to amortise messaging, small enough to spread a batch. */
const imagesPerJob = 8;

/**
 * The built-in image embedder: deterministic colour and texture descriptors, no learned weights.
 * sharp decodes on libuv's threads and worker threads do the arithmetic (about 2 ms an image,
 * which on a 64-image batch would otherwise hold the event loop for over 100 ms).
 */
export class FeatureEmbedder {
  readonly model = featureEmbedderModel;
  private readonly workerCount: number;
  private readonly pool: DescriptorPool;
  private readonly imageLimits: ImageLimits;

  constructor(options: FeatureEmbedderOptions = {}) {
    this.workerCount = options.workers ?? Math.min(4, os.availableParallelism());
    this.pool = new DescriptorPool(this.workerCount);
    this.imageLimits = options.imageLimits ?? defaultImageLimits;
  }

  /** One L2-normalised vector per encoded image, in order; the same image always gives the same vector. */
  async embed(images: readonly Uint8Array[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const dimension = checkDimension(options.dimension ?? featureEmbedderModel.defaultDimension);
    const version = options.version ?? defaultFeatureEmbedderVersion;
    const decoded = await decodeImages(
      images,
      { width: descriptorImageSize, height: descriptorImageSize, fit: "stretch" },
      this.imageLimits,
    );
    const jobs: Promise<Float32Array[]>[] = [];
    for (let start = 0; start < decoded.length; start += imagesPerJob) {
      // Pixels are copied to the worker, not transferred: sharp's buffers may be views of memory
      // other buffers share, and 48 KiB an image costs microseconds to copy.
      const chunk = decoded.slice(start, start + imagesPerJob).map((image) => image.pixels);
      jobs.push(this.pool.run({ kind: "embed", images: chunk, dimension, version }, options.signal));
    }
    return (await Promise.all(jobs)).flat();
  }

  /**
   * Vectors projected to `dimension` by the fixed orthogonal projection drawn from `seed` and
   * L2-normalised, computed in the workers (ML and HYBRID embeddings use it to change width).
   */
  async reduce(
    vectors: Float32Array[],
    dimension: number,
    seed: number,
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    checkDimension(dimension);
    if (vectors.length === 0) return [];
    return this.pool.run({ kind: "reduce", vectors, dimension, seed }, signal);
  }

  /**
   * Starts every worker and builds the latest version's default projection in each, so the first
   * requests (new uploads and training use it) do not wait for it (half a second or so). Optional:
   * workers otherwise start on first use; version 1's projection is built when first asked for.
   */
  async warmUp(): Promise<void> {
    const blank: RgbPixels = {
      width: descriptorImageSize,
      height: descriptorImageSize,
      data: new Uint8Array(descriptorImageSize * descriptorImageSize * 3),
    };
    const dimension = featureEmbedderModel.defaultDimension;
    await Promise.all(
      Array.from({ length: this.workerCount }, () =>
        this.pool.run({ kind: "embed", images: [blank], dimension, version: latestFeatureEmbedderVersion }),
      ),
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export function checkDimension(dimension: number): number {
  if (Number.isInteger(dimension) && dimension >= 1 && dimension <= featureEmbedderModel.maxDimension)
    return dimension;
  throw invalidArgument(
    `The embedding dimension must be an integer from 1 to ${featureEmbedderModel.maxDimension}; got ${dimension}`,
  );
}
