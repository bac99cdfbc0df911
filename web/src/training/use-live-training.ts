import { useApolloClient, useSubscription } from "@apollo/client/react";
import { useEffect, useReducer, useRef, useState } from "react";
import { hasCode } from "../api/problems";
import { reconnectDelayMs } from "../api/reconnect-backoff";
import { TrainingJobMetricsDocument, TrainingProgressDocument } from "../gql/graphql";
import {
  initialLiveTraining,
  isFinalEvent,
  liveTrainingReducer,
  type LiveTraining,
  type TrainingEvent,
} from "./live-training";

export interface LiveTrainingView extends LiveTraining {
  /** Why the history could not be read, or the subscription failed for good. */
  error: unknown;
  /** The stream is down and being started again. */
  reconnecting: boolean;
  reloadHistory(): void;
}

/** Errors that another try would only repeat. */
const FINAL_CODES = ["NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED", "BAD_USER_INPUT"];

/**
 * A job's metrics and progress, live: the stored history first, then every event of
 * `trainingProgress`, with the history read again whenever events may have been missed, so the
 * curves have neither gaps nor doubled epochs. graphql-ws subscribes again by itself after a
 * lost socket; a subscription that ends or fails before the job did is started again here.
 * `onMilestone` hears trial, status and end events (the page reloads its facts then).
 */
export function useLiveTraining(
  jobId: string,
  onMilestone: (event: TrainingEvent) => void,
): LiveTrainingView {
  const client = useApolloClient();
  const [state, dispatch] = useReducer(liveTrainingReducer, initialLiveTraining);
  const [historyError, setHistoryError] = useState<unknown>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const [retries, setRetries] = useState(0);
  // Read by onComplete, which can run before the final event's render.
  const ended = useRef(false);
  const lastStatus = useRef<string | null>(null);

  const subscription = useSubscription(TrainingProgressDocument, {
    variables: { jobId },
    fetchPolicy: "no-cache",
    ignoreResults: true,
    onData: ({ data }) => {
      const event = data.data?.trainingProgress;
      if (!event) return;
      setStreamError(null);
      setRetries(0);
      if (isFinalEvent(event)) ended.current = true;
      dispatch({ type: "event", event });
      if (event.__typename === "TrainingMetricsEvent") return;
      if (event.__typename === "TrainingProgressEvent") {
        if (event.status === lastStatus.current) return;
        lastStatus.current = event.status;
      }
      onMilestone(event);
    },
    onError: (error) => {
      setStreamError(error);
      if (!FINAL_CODES.some((code) => hasCode(error, code))) setRetries((count) => count + 1);
    },
    onComplete: () => {
      if (!ended.current) setRetries((count) => count + 1);
    },
  });

  const { restart } = subscription;
  useEffect(() => {
    if (retries === 0) return;
    const timer = setTimeout(restart, reconnectDelayMs(retries - 1));
    return () => clearTimeout(timer);
  }, [retries, restart]);

  const request = state.historyWanted;
  useEffect(() => {
    let current = true;
    client
      .query({ query: TrainingJobMetricsDocument, variables: { id: jobId }, fetchPolicy: "no-cache" })
      .then((result) => {
        if (!current) return;
        setHistoryError(null);
        dispatch({ type: "history", request, points: result.data?.trainingJob?.metrics ?? [] });
      })
      .catch((error: unknown) => {
        if (current) setHistoryError(error);
      });
    return () => {
      current = false;
    };
  }, [client, jobId, request]);

  return {
    ...state,
    error: historyError ?? (retries === 0 ? streamError : null),
    reconnecting: retries > 0 && !state.ended,
    reloadHistory: () => dispatch({ type: "reload" }),
  };
}
