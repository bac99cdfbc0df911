import { projectTo2d } from "./pca";
import { scaleToUnitSquare, type MapScaling } from "./map-coordinates";
import { umapSettings, umapTo2d } from "./umap";

export type ProjectionMethodName = "PCA" | "UMAP";

export interface ProjectionInput {
  method: ProjectionMethodName;
  /** `count` rows of `dimension` values. */
  vectors: Float32Array;
  count: number;
  dimension: number;
}

/** What EmbeddingMap.details stores beside the coordinates. */
export type ProjectionDetails =
  | { method: "PCA"; explainedVariance: [number, number]; scaling: MapScaling }
  | {
      method: "UMAP";
      neighbours: number;
      minimumDistance: number;
      epochs: number;
      seed: number;
      scaling: MapScaling;
    };

export interface ProjectedMap {
  /** x0, y0, x1, y1, … in [-1, 1], in the rows' order. */
  coordinates: Float32Array;
  details: ProjectionDetails;
}

/** The vectors on two dimensions by the chosen method, fitted into [-1, 1] (see scaleToUnitSquare). */
export function projectVectors({ method, vectors, count, dimension }: ProjectionInput): ProjectedMap {
  if (method === "PCA") {
    const { coordinates, explained } = projectTo2d(vectors, count, dimension);
    const scaled = scaleToUnitSquare(coordinates);
    return {
      coordinates: scaled.coordinates,
      details: { method, explainedVariance: explained, scaling: scaled.scaling },
    };
  }
  const { coordinates, neighbours } = umapTo2d(vectors, count, dimension);
  const scaled = scaleToUnitSquare(coordinates);
  const { minimumDistance, epochs, seed } = umapSettings;
  return {
    coordinates: scaled.coordinates,
    details: { method, neighbours, minimumDistance, epochs, seed, scaling: scaled.scaling },
  };
}
