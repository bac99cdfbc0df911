import { JobStatus, type ReconstructionProgressSubscription } from "../gql/graphql";

export type ReconstructionEvent = ReconstructionProgressSubscription["reconstructionProgress"];

export interface StepPoint {
  step: number;
  /** Null on steps that report none (e.g. the first of a stage). */
  loss: number | null;
  /** On the held-out view; only some steps measure it. */
  psnr: number | null;
}

/** A reconstruction as its subscription tells it, newer than the page's query while it runs. */
export interface LiveReconstruction {
  /** In step order, one per step. */
  points: StepPoint[];
  totalSteps: number | null;
  preview: { url: string; step: number } | null;
  status: JobStatus | null;
  progress: number | null;
  error: string | null;
  lastSeq: number;
}

export const initialLiveReconstruction: LiveReconstruction = {
  points: [],
  totalSteps: null,
  preview: null,
  status: null,
  progress: null,
  error: null,
  lastSeq: 0,
};

export const isFinished = (status: JobStatus | null) =>
  status === JobStatus.Succeeded || status === JobStatus.Failed || status === JobStatus.Cancelled;

/** Folds one event in. Events seen twice (a resubscription replays the current state) change nothing. */
export function liveReconstructionReducer(
  state: LiveReconstruction,
  event: ReconstructionEvent,
): LiveReconstruction {
  const next = { ...state, lastSeq: Math.max(state.lastSeq, event.seq) };
  switch (event.__typename) {
    case "ReconstructionStepEvent":
      return {
        ...next,
        totalSteps: event.totalSteps,
        points: withPoint(state.points, { step: event.step, loss: event.loss, psnr: event.psnr ?? null }),
      };
    case "ReconstructionPreviewEvent":
      // A late, older preview must not replace a newer one.
      if (state.preview && state.preview.step > event.step) return next;
      return { ...next, preview: { url: event.url, step: event.step } };
    case "ReconstructionStateEvent":
      if (event.seq < state.lastSeq) return next;
      return { ...next, status: event.status, progress: event.progress, error: event.error?.message ?? null };
    default:
      return next;
  }
}

function withPoint(points: readonly StepPoint[], point: StepPoint): StepPoint[] {
  const last = points.at(-1);
  if (!last || last.step < point.step) return [...points, point];
  const at = points.findIndex((existing) => existing.step >= point.step);
  const copy = [...points];
  if (copy[at]!.step === point.step) copy[at] = point;
  else copy.splice(at, 0, point);
  return copy;
}

/** The stored steps (what the page's query read) and the live ones, one point per step. */
export function mergeSteps(stored: readonly StepPoint[], live: readonly StepPoint[]): StepPoint[] {
  if (live.length === 0) return [...stored];
  return stored.reduce<StepPoint[]>(
    (points, point) =>
      points.some((existing) => existing.step === point.step) ? points : withPoint(points, point),
    [...live],
  );
}
