import type { MapPoint } from "./embedding-map-option";
import { fetchAllVectors, type FetchVectorPage } from "./embedding-vectors";
import type { Projection } from "./pca";
import { classNameOf, type SampleTile } from "./sample-catalog";

export type MapState =
  | { phase: "idle" }
  | { phase: "fetching"; loaded: number; total: number }
  | { phase: "projecting"; count: number }
  | { phase: "ready"; points: MapPoint[]; explained: [number, number] }
  | { phase: "failed"; error: unknown };

export interface MapSources {
  fetchVectors: FetchVectorPage;
  /** Every sample of the version, for the class of each vector. */
  samples(): Promise<readonly SampleTile[]>;
  project(vectors: Float32Array, count: number, dimension: number): Promise<Projection>;
}

/**
 * Vectors and samples fetched side by side, then projected; each step is reported as it starts.
 * Nothing is reported once `signal` is aborted.
 */
export async function drawEmbeddingMap(
  sources: MapSources,
  signal: AbortSignal,
  report: (state: MapState) => void,
): Promise<void> {
  const tell = (state: MapState) => {
    if (!signal.aborted) report(state);
  };
  try {
    const [vectors, samples] = await Promise.all([
      fetchAllVectors(
        sources.fetchVectors,
        (loaded, total) => tell({ phase: "fetching", loaded, total }),
        signal,
      ),
      sources.samples(),
    ]);
    tell({ phase: "projecting", count: vectors.sampleIds.length });
    if (signal.aborted) return;
    const { coordinates, explained } = await sources.project(
      vectors.values,
      vectors.sampleIds.length,
      vectors.dimension,
    );
    const classOf = new Map(samples.map((sample) => [sample.sampleId, classNameOf(sample)]));
    const points = vectors.sampleIds.map((sampleId, index) => ({
      sampleId,
      className: classOf.get(sampleId) ?? "(not in this version)",
      x: coordinates[index * 2]!,
      y: coordinates[index * 2 + 1]!,
    }));
    tell({ phase: "ready", points, explained });
  } catch (error) {
    tell({ phase: "failed", error });
  }
}
