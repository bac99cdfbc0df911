import { useCallback, useEffect, useRef } from "react";
import type { Projection } from "./pca";
import type { ProjectionRequest, ProjectionResponse } from "./projection.worker";

/**
 * `project(vectors, count, dimension)` runs the PCA in a Web Worker, started on first use and
 * ended with the component. The vectors' buffer is handed over, not copied.
 */
export function useProjection(): (
  vectors: Float32Array,
  count: number,
  dimension: number,
) => Promise<Projection> {
  const worker = useRef<Worker | null>(null);
  const pending = useRef(
    new Map<number, { resolve(projection: Projection): void; reject(error: Error): void }>(),
  );
  const nextId = useRef(1);

  useEffect(() => {
    const waiting = pending.current;
    return () => {
      worker.current?.terminate();
      worker.current = null;
      for (const { reject } of waiting.values()) reject(new DOMException("The page was left", "AbortError"));
      waiting.clear();
    };
  }, []);

  return useCallback((vectors, count, dimension) => {
    if (!worker.current) {
      const started = new Worker(new URL("./projection.worker.ts", import.meta.url), { type: "module" });
      started.onmessage = ({ data }: MessageEvent<ProjectionResponse>) => {
        const waiter = pending.current.get(data.id);
        pending.current.delete(data.id);
        if (!waiter) return;
        if ("error" in data) waiter.reject(new Error(`The projection failed: ${data.error}`));
        else waiter.resolve({ coordinates: data.coordinates, explained: data.explained });
      };
      started.onerror = (event) => {
        for (const { reject } of pending.current.values())
          reject(new Error(`The projection worker failed: ${event.message}`));
        pending.current.clear();
      };
      worker.current = started;
    }
    const id = nextId.current++;
    const request: ProjectionRequest = { id, vectors, count, dimension };
    const result = new Promise<Projection>((resolve, reject) => pending.current.set(id, { resolve, reject }));
    worker.current.postMessage(request, [vectors.buffer]);
    return result;
  }, []);
}
