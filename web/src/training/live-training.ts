import { TrainingStatus, type TrainingProgressSubscription } from "../gql/graphql";
import { hasEpoch, mergePoints, pointsOfEpoch, type MetricPoint } from "./metric-series";

export type TrainingEvent = TrainingProgressSubscription["trainingProgress"];

/** Events after which a job's stream ends. */
export const isFinalEvent = (event: TrainingEvent) =>
  event.__typename === "TrainingCompletedEvent" || event.__typename === "TrainingFailedEvent";
type ProgressEvent = Extract<TrainingEvent, { __typename: "TrainingProgressEvent" }>;

export type LiveProgress = Omit<ProgressEvent, "__typename" | "seq">;

/**
 * A job's page as the subscription and the stored history tell it. The stream starts with the
 * job's current state, not its past: the past comes from `TrainingJob.metrics`, read whenever
 * `historyWanted` grows — at the start, when events were missed (a lost socket, a dropped
 * subscriber), and once the job has ended.
 */
export interface LiveTraining {
  points: MetricPoint[];
  progress: LiveProgress | null;
  /** The highest `seq` seen; 0 before the first event. */
  lastSeq: number;
  historyWanted: number;
  /** Points streamed since history was last asked for: newer than what that read returns. */
  streamedSinceRequest: MetricPoint[];
  /** The last request whose history was merged; 0 before the first. */
  historyRead: number;
  historyLoaded: boolean;
  ended: { status: TrainingStatus; reason: string | null } | null;
}

export type LiveAction =
  | { type: "event"; event: TrainingEvent }
  | { type: "history"; request: number; points: readonly MetricPoint[] }
  /** Read the history again (after a failed read). */
  | { type: "reload" };

export const initialLiveTraining: LiveTraining = {
  points: [],
  progress: null,
  lastSeq: 0,
  historyWanted: 1,
  streamedSinceRequest: [],
  historyRead: 0,
  historyLoaded: false,
  ended: null,
};

export function liveTrainingReducer(state: LiveTraining, action: LiveAction): LiveTraining {
  if (action.type === "history") {
    if (action.request !== state.historyWanted) return state;
    const points = mergePoints(mergePoints(state.points, action.points), state.streamedSinceRequest);
    return { ...state, points, streamedSinceRequest: [], historyRead: action.request, historyLoaded: true };
  }
  if (action.type === "reload")
    return { ...state, historyWanted: state.historyWanted + 1, streamedSinceRequest: [] };
  const { event } = action;
  const missedEvents = state.lastSeq === 0 || event.seq > state.lastSeq + 1;
  let next: LiveTraining = { ...state, lastSeq: Math.max(state.lastSeq, event.seq) };
  let wantHistory = missedEvents;

  switch (event.__typename) {
    case "TrainingProgressEvent": {
      if (event.seq < state.lastSeq) break;
      const { status, phase, trial, epoch, totalEpochs, step, totalSteps, progress } = event;
      next.progress = { status, phase, trial, epoch, totalEpochs, step, totalSteps, progress };
      break;
    }
    case "TrainingMetricsEvent": {
      const points = pointsOfEpoch(event.trial, event.epoch, event.values);
      // An epoch after one we never saw: an event was lost even though seq did not show it. A read
      // still under way was asked for after that loss, so it brings the epoch.
      const reading = state.historyRead < state.historyWanted;
      if (!reading && event.epoch > 1 && !hasEpoch(state.points, event.trial, event.epoch - 1))
        wantHistory = true;
      next.points = mergePoints(state.points, points);
      next.streamedSinceRequest = [...state.streamedSinceRequest, ...points];
      break;
    }
    case "TrainingCompletedEvent":
      next = {
        ...next,
        ended: { status: TrainingStatus.Succeeded, reason: null },
        progress: finished(next, TrainingStatus.Succeeded),
      };
      wantHistory = true;
      break;
    case "TrainingFailedEvent":
      next = {
        ...next,
        ended: { status: event.status, reason: event.reason },
        progress: finished(next, event.status),
      };
      wantHistory = true;
      break;
    case "TrialEvent":
      break;
  }
  if (!wantHistory) return next;
  return { ...next, historyWanted: state.historyWanted + 1, streamedSinceRequest: [] };
}

function finished(state: LiveTraining, status: TrainingStatus): LiveProgress | null {
  return state.progress ? { ...state.progress, status } : null;
}
