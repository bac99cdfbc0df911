import { JobStatus, type RetrainingRunEntryFragment } from "../gql/graphql";
import type { BadgeTone } from "../ui/state-badge";

/** What a run's stored decision says, read defensively: any of it may be missing while it runs. */
export interface RunDecision {
  championAccuracy: number | null;
  challengerAccuracy: number | null;
  margin: number | null;
  heldOutCount: number | null;
  /** Where the held-out images came from ("test split", …). */
  heldOutSource: string | null;
  reason: string | null;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function textOrNull(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}

/** `{ heldOut: { source, count }, champion: { accuracy, … } | null, challenger: { … }, margin, reason }` */
export function decisionOf(decision: unknown): RunDecision {
  const heldOut = field(decision, "heldOut");
  return {
    championAccuracy: numberOrNull(field(field(decision, "champion"), "accuracy")),
    challengerAccuracy: numberOrNull(field(field(decision, "challenger"), "accuracy")),
    margin: numberOrNull(field(decision, "margin")),
    heldOutCount: numberOrNull(field(heldOut, "count")),
    heldOutSource: textOrNull(field(heldOut, "source")),
    reason: textOrNull(field(decision, "reason")),
  };
}

export interface RunOutcome {
  label: string;
  tone: BadgeTone;
}

/**
 * Where the run's job stands, and once it succeeded, what the duel decided. The status comes
 * first: a run that failed or was cancelled also records `promoted: false`, yet nothing was refused.
 */
export function runOutcome(run: Pick<RetrainingRunEntryFragment, "status" | "promoted">): RunOutcome {
  switch (run.status) {
    case JobStatus.Queued:
      return { label: "Queued", tone: "neutral" };
    case JobStatus.Running:
      return { label: "Running", tone: "busy" };
    case JobStatus.Failed:
      return { label: "Failed", tone: "bad" };
    case JobStatus.Cancelled:
      return { label: "Cancelled", tone: "neutral" };
    case JobStatus.Succeeded:
      if (run.promoted === true) return { label: "Promoted", tone: "good" };
      if (run.promoted === false) return { label: "Refused", tone: "bad" };
      return { label: "Finished", tone: "neutral" };
  }
}
