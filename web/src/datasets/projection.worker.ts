import { projectTo2d } from "./pca";

export interface ProjectionRequest {
  id: number;
  vectors: Float32Array;
  count: number;
  dimension: number;
}

export type ProjectionResponse =
  { id: number; coordinates: Float32Array; explained: [number, number] } | { id: number; error: string };

/** The part of a dedicated worker's global scope used here (the DOM lib types `self` as a window). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ProjectionRequest>) => void) | null;
  postMessage(message: ProjectionResponse, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

// Thousands of vectors of hundreds of values take a noticeable moment: off the main thread, the page keeps scrolling.
scope.onmessage = ({ data }) => {
  try {
    const { coordinates, explained } = projectTo2d(data.vectors, data.count, data.dimension);
    scope.postMessage({ id: data.id, coordinates, explained }, [coordinates.buffer]);
  } catch (error) {
    scope.postMessage({ id: data.id, error: error instanceof Error ? error.message : String(error) });
  }
};
