import { useSubscription } from "@apollo/client/react";
import { useEffect, useReducer, useRef, useState } from "react";
import { hasCode } from "../api/problems";
import { reconnectDelayMs } from "../api/reconnect-backoff";
import { ReconstructionProgressDocument } from "../gql/graphql";
import {
  initialLiveReconstruction,
  isFinished,
  liveReconstructionReducer,
  type LiveReconstruction,
} from "./live-reconstruction";

/** Errors that another try would only repeat. */
const FINAL_CODES = ["NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED", "BAD_USER_INPUT"];

export interface LiveReconstructionView extends LiveReconstruction {
  streamError: unknown;
  reconnecting: boolean;
}

/**
 * `reconstructionProgress` folded into one state. A stream that fails or ends before the job
 * did is started again after a backoff; `onFinished` runs once when the job ends (the page
 * reloads the metrics, artifacts and mesh then).
 */
export function useLiveReconstruction(
  id: string,
  /** The job had already ended when the page read it: there is nothing to follow. */
  alreadyFinished: boolean,
  onFinished: () => void,
): LiveReconstructionView {
  const [state, dispatch] = useReducer(liveReconstructionReducer, initialLiveReconstruction);
  const [streamError, setStreamError] = useState<unknown>(null);
  const [retries, setRetries] = useState(0);
  const ended = useRef(false);

  const { restart } = useSubscription(ReconstructionProgressDocument, {
    variables: { id },
    skip: alreadyFinished,
    fetchPolicy: "no-cache",
    ignoreResults: true,
    onData: ({ data }) => {
      const event = data.data?.reconstructionProgress;
      if (!event) return;
      setStreamError(null);
      setRetries(0);
      dispatch(event);
      if (event.__typename === "ReconstructionStateEvent" && isFinished(event.status) && !ended.current) {
        ended.current = true;
        onFinished();
      }
    },
    onError: (error) => {
      setStreamError(error);
      if (!FINAL_CODES.some((code) => hasCode(error, code))) setRetries((count) => count + 1);
    },
    onComplete: () => {
      if (!ended.current) setRetries((count) => count + 1);
    },
  });

  useEffect(() => {
    if (retries === 0 || alreadyFinished) return;
    const timer = setTimeout(restart, reconnectDelayMs(retries - 1));
    return () => clearTimeout(timer);
  }, [retries, restart, alreadyFinished]);

  const following = !alreadyFinished && !isFinished(state.status);
  return {
    ...state,
    streamError: retries === 0 && following ? streamError : null,
    reconnecting: retries > 0 && following,
  };
}
