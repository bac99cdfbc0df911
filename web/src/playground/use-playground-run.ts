import { useApolloClient } from "@apollo/client/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { UploadProgress } from "../api/xhr-request";
import { runOperation, type RunOutcome, type RunRequest } from "./playground-run";

export type RunState =
  | { phase: "idle" }
  | { phase: "running"; request: RunRequest; progress: UploadProgress | null }
  | { phase: "done"; request: RunRequest; outcome: RunOutcome }
  | { phase: "failed"; request: RunRequest; error: unknown };

/**
 * One run at a time: a new image (or `reset`) cancels the run in flight, and an answer that
 * arrives for a cancelled run is dropped, so the page never shows one image's result under another.
 */
export function usePlaygroundRun() {
  const client = useApolloClient();
  const [state, setState] = useState<RunState>({ phase: "idle" });
  const inFlight = useRef<AbortController | null>(null);

  useEffect(
    () => () => {
      inFlight.current?.abort();
      inFlight.current = null;
    },
    [],
  );

  const run = useCallback(
    async (request: RunRequest) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      const current = () => inFlight.current === controller;
      setState({ phase: "running", request, progress: null });
      const context = {
        fetchOptions: { signal: controller.signal },
        onUploadProgress: (progress: UploadProgress) => {
          if (current()) setState({ phase: "running", request, progress });
        },
      };
      try {
        const outcome = await runOperation(client, request, context);
        if (current()) setState({ phase: "done", request, outcome });
      } catch (error) {
        if (current()) setState({ phase: "failed", request, error });
      } finally {
        if (current()) inFlight.current = null;
      }
    },
    [client],
  );

  const reset = useCallback(() => {
    inFlight.current?.abort();
    inFlight.current = null;
    setState({ phase: "idle" });
  }, []);

  return { state, run, reset };
}
