export type TriggerName = "feedbackCount" | "schedule" | "meanUncertaintyAbove" | "drift";

/** One trigger measured: whether it holds, a sentence saying so with its figures, and the figures. */
export interface TriggerCheck {
  trigger: TriggerName;
  met: boolean;
  /** "412 corrections ≥ 400", "drift MMD² 0.031 (p 0.002 < 0.01, effect 0.031 ≥ 0.01)". */
  reason: string;
  metrics: Record<string, unknown>;
}

/** Why a policy whose trigger holds does not fire now (cooldown, a run still going, disabled). */
export interface Blocker {
  reason: string;
  metrics: Record<string, unknown>;
}

export interface Verdict {
  /** Whether it fires (a dry run never does, though it may say it would). */
  fires: boolean;
  /** The verdict sentence first, then one sentence per trigger checked. */
  reasons: string[];
  metrics: Record<string, unknown>;
}

/**
 * Any trigger that holds fires the policy unless something blocks it. The first reason reads
 * "would fire, because A; B" on a dry run, "fired, because A; B" otherwise, and says what
 * blocked it or that no trigger held.
 */
export function verdictOf(
  checks: readonly TriggerCheck[],
  blocker: Blocker | null,
  dryRun: boolean,
): Verdict {
  const held = checks.filter((check) => check.met);
  const because = held.map((check) => check.reason).join("; ");
  const not = dryRun ? "would not fire" : "did not fire";
  let sentence: string;
  if (held.length === 0) sentence = `${not}: no trigger holds`;
  else if (blocker) sentence = `${not}: ${blocker.reason} (triggered by ${because})`;
  else sentence = `${dryRun ? "would fire" : "fired"}, because ${because}`;
  const metrics: Record<string, unknown> = Object.fromEntries(
    checks.map((check) => [check.trigger, check.metrics]),
  );
  if (blocker) metrics.blocked = blocker.metrics;
  return {
    fires: !dryRun && held.length > 0 && !blocker,
    reasons: [sentence, ...checks.map((check) => check.reason)],
    metrics,
  };
}
