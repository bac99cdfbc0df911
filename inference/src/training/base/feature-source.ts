import type { FeatureEmbedderVersion } from "../../tasks/embedding/built-in-model";
import type { FeatureBase } from "../contracts";

/**
 * Where a base's features come from, as training reports it and export rebuilds it: the built-in
 * embedder's vectors, or one output of a model in the repository (a feature map averaged over
 * its positions, in the model's layout, or a vector taken as it is).
 */
export type FeatureSource =
  /** `version` absent: "1", as every base was before the embedder had versions. */
  | { kind: "feature-embedder"; dimension: number; version?: FeatureEmbedderVersion }
  | {
      kind: "model";
      name: string;
      /** The version that was resolved (the newest READY one when the request named none). */
      version: string;
      output: string;
      /** The layout of a feature map, averaged over space; null for a vector [N, D]. */
      map: "NCHW" | "NHWC" | null;
    };

/** A FeatureBase that says where its features come from. */
export interface ResolvedFeatureBase extends FeatureBase {
  readonly source: FeatureSource;
}
