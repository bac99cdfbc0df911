import type { JobStatus, Phase, StartedJob, TrainingEvent, TrialParam } from "./training-documents";

/** What the CLI knows about a running job: the last progress, the current trial's latest metrics. */
export interface ProgressState {
  jobId: string;
  status: JobStatus;
  phase: Phase;
  /** 0-based, as the API numbers trials. */
  trial: number;
  /** 1 without a search; the search's maximum otherwise (GRID may run fewer). */
  plannedTrials: number;
  epoch: number;
  totalEpochs: number;
  step: number;
  totalSteps: number;
  /** 0…1 over the whole job. */
  progress: number;
  /** The current trial's parameters, when a search varies them. */
  params: TrialParam[];
  /** The current trial's last finished epoch's values, by metric name. */
  metrics: Record<string, number>;
  metricsEpoch: number;
  /** When (ms) and at what progress the job was first seen running: the start of the ETA's rate. */
  runningSince: { at: number; progress: number } | null;
}

export function initialState(job: StartedJob): ProgressState {
  const searching = job.options.enableHyperparameterTuning;
  return {
    jobId: job.id,
    status: job.status,
    phase: job.status === "QUEUED" ? "QUEUED" : "FEATURES",
    trial: 0,
    plannedTrials: searching ? job.options.maxTrials : 1,
    epoch: job.currentEpoch,
    totalEpochs: job.totalEpochs,
    step: 0,
    totalSteps: 0,
    progress: job.progress,
    params: [],
    metrics: {},
    metricsEpoch: 0,
    runningSince: null,
  };
}

/** The state after `event`, received at `now` (ms). */
export function applyEvent(state: ProgressState, event: TrainingEvent, now: number): ProgressState {
  switch (event.__typename) {
    case "TrainingProgressEvent": {
      const trialChanged = event.trial !== state.trial;
      const running = event.status === "RUNNING";
      return {
        ...state,
        status: event.status,
        phase: event.phase,
        trial: event.trial,
        epoch: event.epoch,
        totalEpochs: event.totalEpochs,
        step: event.step,
        totalSteps: event.totalSteps,
        progress: Math.max(state.progress, event.progress),
        ...(trialChanged ? { metrics: {}, metricsEpoch: 0, params: [] } : {}),
        // A job handed back to the queue (its worker died) restarts the rate when it runs again.
        runningSince: running ? (state.runningSince ?? { at: now, progress: event.progress }) : null,
      };
    }
    case "TrainingMetricsEvent": {
      if (event.trial < state.trial) return state;
      const metrics = Object.fromEntries(event.values.map(({ name, value }) => [name, value]));
      const sameTrial = event.trial === state.trial;
      return {
        ...state,
        trial: event.trial,
        metrics,
        metricsEpoch: event.epoch,
        ...(sameTrial ? {} : { params: [] }),
      };
    }
    case "TrialEvent":
      if (event.state !== "RUNNING" || event.trial < state.trial) return state;
      return {
        ...state,
        trial: event.trial,
        params: event.params,
        ...(event.trial === state.trial ? {} : { metrics: {}, metricsEpoch: 0 }),
      };
    case "TrainingCompletedEvent":
      return { ...state, status: "SUCCEEDED", progress: 1 };
    case "TrainingFailedEvent":
      return { ...state, status: event.status };
  }
}

/**
 * Seconds left at the rate the job has progressed since it was first seen running; null until
 * that rate is known.
 */
export function secondsLeft(state: ProgressState, now: number): number | null {
  const since = state.runningSince;
  if (!since) return null;
  const gained = state.progress - since.progress;
  const elapsed = (now - since.at) / 1000;
  if (gained <= 0 || elapsed <= 0) return null;
  return (elapsed * (1 - state.progress)) / gained;
}
