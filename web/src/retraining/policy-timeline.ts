import type { PolicyEvaluationEntryFragment, RetrainingRunEntryFragment } from "../gql/graphql";

export type TimelineEntry =
  | { kind: "evaluation"; at: string; evaluation: PolicyEvaluationEntryFragment }
  | { kind: "run"; at: string; run: RetrainingRunEntryFragment };

/**
 * Evaluations and runs in one list, newest first. A run starts just after the evaluation that
 * fired it, so it sits right above it; at the same instant the run still comes first.
 */
export function timelineOf(
  evaluations: readonly PolicyEvaluationEntryFragment[],
  runs: readonly RetrainingRunEntryFragment[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...evaluations.map((evaluation) => ({ kind: "evaluation" as const, at: evaluation.at, evaluation })),
    ...runs.map((run) => ({ kind: "run" as const, at: run.createdAt, run })),
  ];
  return entries.sort((a, b) => {
    const byTime = Date.parse(b.at) - Date.parse(a.at);
    if (byTime !== 0) return byTime;
    return a.kind === b.kind ? 0 : a.kind === "run" ? -1 : 1;
  });
}
