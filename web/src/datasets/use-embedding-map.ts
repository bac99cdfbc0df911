import { useApolloClient } from "@apollo/client/react";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  ComputeEmbeddingMapDocument,
  JobStatus,
  VersionEmbeddingMapDocument,
  type EmbeddingMapStateFragment,
  type ProjectionMethod,
} from "../gql/graphql";
import { MAP_MARKS, markMap } from "./embedding-map-marks";

/** How often a map being computed is read again, ms. */
export const MAP_POLL_MS = 1_000;

export interface MapPoints {
  sampleIds: string[];
  classIds: string[];
  coordinates: Float32Array;
}

export type EmbeddingMapState =
  | { phase: "loading" }
  | { phase: "computing"; map: EmbeddingMapStateFragment | null }
  | { phase: "ready"; map: EmbeddingMapStateFragment; points: MapPoints }
  | { phase: "failed"; error: unknown; map: EmbeddingMapStateFragment | null };

/**
 * The stored map of (version, space, method): read once; asked for once when there is none or
 * it is stale (the server queues a job only then), read again every second while its job runs.
 * A failed job is not asked for again by itself: `retry` does that.
 */
export function useEmbeddingMap(
  versionId: string,
  space: string,
  method: ProjectionMethod,
): { state: EmbeddingMapState; retry(): void } {
  const client = useApolloClient();
  const [state, setState] = useState<EmbeddingMapState>({ phase: "loading" });
  const [attempt, setAttempt] = useState(0);
  const asked = useRef(new Set<string>());

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const key = `${versionId}/${space}/${method}/${attempt}`;
    const variables = { id: versionId, space, method };
    const compute = async () => {
      asked.current.add(key);
      const { data, error } = await client.mutate({
        mutation: ComputeEmbeddingMapDocument,
        variables: { versionId, space, method },
      });
      if (error) throw error;
      return data?.computeEmbeddingMap ?? null;
    };
    const read = async (): Promise<void> => {
      try {
        const { data, error } = await client.query({
          query: VersionEmbeddingMapDocument,
          variables,
          fetchPolicy: "no-cache",
          context: { fetchOptions: { signal } },
        });
        if (signal.aborted) return;
        if (error) throw error;
        const map = data?.datasetVersion?.embeddingMap ?? null;
        const needsJob = !map || map.stale || (attempt > 0 && map.status === JobStatus.Failed);
        if (needsJob && !asked.current.has(key)) {
          const queued = await compute();
          if (signal.aborted) return;
          setState({ phase: "computing", map: queued });
          return read();
        }
        if (map?.status === JobStatus.Succeeded && map.points) {
          const { sampleIds, classIds, coordinates } = map.points;
          const points = { sampleIds, classIds, coordinates: Float32Array.from(coordinates) };
          markMap(MAP_MARKS.pointsReady, { points: sampleIds.length });
          setState({ phase: "ready", map, points });
          return;
        }
        if (map && (map.status === JobStatus.Queued || map.status === JobStatus.Running)) {
          setState({ phase: "computing", map });
          timer = setTimeout(() => void read(), MAP_POLL_MS);
          return;
        }
        const reason = map?.error?.message ?? "The map could not be computed";
        setState({ phase: "failed", error: new Error(reason), map });
      } catch (error) {
        if (!signal.aborted) setState({ phase: "failed", error, map: null });
      }
    };
    // A new (version, space, method) mounts a new hook (see MapOfSpace's key): its state starts at "loading".
    void read();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, versionId, space, method, attempt]);

  const retry = useCallback(() => {
    setState({ phase: "loading" });
    setAttempt((value) => value + 1);
  }, []);
  return { state, retry };
}
