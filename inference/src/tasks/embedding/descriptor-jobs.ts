import type { RgbPixels } from "../../images/decode-image";
import type { FeatureEmbedderVersion } from "./built-in-model";

/** Work a descriptor worker does; each answer carries one float32 vector per item, in order. */
export type DescriptorJob =
  /** Built-in embeddings (of `version`) of `descriptorImageSize`² images at `dimension`. */
  | { kind: "embed"; images: RgbPixels[]; dimension: number; version: FeatureEmbedderVersion }
  /** Each vector projected to `dimension` with the orthogonal projection drawn from `seed`, then L2-normalised. */
  | { kind: "reduce"; vectors: Float32Array[]; dimension: number; seed: number };

export type DescriptorAnswer = { id: number; vectors: Float32Array[] } | { id: number; error: string };

export type DescriptorRequest = DescriptorJob & { id: number };
