import type { PredictionFilter } from "../gql/graphql";

/** The log's filters as the URL holds them, so a filtered view can be linked and survives a reload. */
export interface PredictionFilterParams {
  /** `with` or `without` feedback; empty for both. */
  feedback: "" | "with" | "without";
  /** Feedback that said the prediction was right or wrong; empty for either. */
  verdict: "" | "correct" | "wrong";
  label: string;
  /** A day, `YYYY-MM-DD`: predictions from its start (local time) on. */
  since: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function filterParamsOf(params: URLSearchParams): PredictionFilterParams {
  const feedback = params.get("feedback");
  const verdict = params.get("verdict");
  const since = params.get("since") ?? "";
  return {
    feedback: feedback === "with" || feedback === "without" ? feedback : "",
    verdict: verdict === "correct" || verdict === "wrong" ? verdict : "",
    label: params.get("label") ?? "",
    since: DAY.test(since) ? since : "",
  };
}

/** The URL for these filters; a new filter starts again from the first page. */
export function searchOf(filters: PredictionFilterParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  return params;
}

/** What `predictions(filter:)` gets; null when nothing narrows the log. A verdict implies feedback. */
export function predictionFilterOf(filters: PredictionFilterParams): PredictionFilter | null {
  const filter: PredictionFilter = {};
  if (filters.feedback) filter.hasFeedback = filters.feedback === "with";
  if (filters.verdict) filter.isCorrect = filters.verdict === "correct";
  if (filters.label) filter.label = filters.label;
  if (filters.since) filter.since = new Date(`${filters.since}T00:00:00`).toISOString();
  return Object.keys(filter).length > 0 ? filter : null;
}
