import type { RetrainingPolicySummaryFragment } from "../gql/graphql";
import { formatEnum, formatNumber } from "../ui/format";

/** A policy's name, or what it does when it has none. */
export function policyName(policy: { name?: string | null; model: { slug: string } }): string {
  return policy.name || `Retraining of ${policy.model.slug}`;
}

type Triggers = RetrainingPolicySummaryFragment["triggers"];

/** Each trigger of a policy as a phrase: "200 corrections since the last run", … */
export function triggerPhrases(triggers: Triggers): string[] {
  const phrases: string[] = [];
  if (triggers.feedbackCount != null) {
    const noun = triggers.feedbackCount === 1 ? "correction" : "corrections";
    phrases.push(`${formatNumber(triggers.feedbackCount)} ${noun} since the last run`);
  }
  if (triggers.schedule) phrases.push(`on the schedule ${triggers.schedule}`);
  if (triggers.meanUncertaintyAbove != null) {
    phrases.push(`mean uncertainty above ${triggers.meanUncertaintyAbove}`);
  }
  if (triggers.drift) {
    const { method, pValue, minEffect, window } = triggers.drift;
    const test = method === "MMD" ? "MMD" : formatEnum(method).toLowerCase();
    phrases.push(
      `drift (${test}, p < ${pValue}, effect ≥ ${minEffect} over the last ${formatNumber(window)} predictions)`,
    );
  }
  return phrases;
}

const units: Array<[seconds: number, one: string, many: string]> = [
  [86_400, "day", "days"],
  [3_600, "hour", "hours"],
  [60, "minute", "minutes"],
  [1, "second", "seconds"],
];

/** `24 hours`, `90 minutes`, `none`: the largest unit that divides the cooldown. */
export function formatCooldown(seconds: number): string {
  if (seconds <= 0) return "none";
  const [size, one, many] = units.find(([size]) => seconds % size === 0) ?? units[units.length - 1]!;
  const count = seconds / size;
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/** `feedbackCount` → `feedback count`; `drift.pValue` → `drift p value`. */
export function metricName(key: string): string {
  return key
    .replace(/\./g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

/** A measured value as read: whole numbers grouped, others to 4 significant digits. */
export function formatMeasure(value: unknown): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) ? formatNumber(value) : String(Number(value.toPrecision(4)));
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** A JSON object of measurements as rows, nested objects flattened into dotted keys. */
export function measureRows(metrics: unknown, prefix = ""): Array<[name: string, value: string]> {
  if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics)) {
    return prefix ? [[metricName(prefix), formatMeasure(metrics)]] : [];
  }
  return Object.entries(metrics).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? measureRows(value, path)
      : [[metricName(path), formatMeasure(value)] as [string, string]];
  });
}

/** An evaluation's reasons as the server orders them: its verdict sentence, then one per trigger. */
export interface EvaluationWords {
  /** "Would fire, because 412 corrections ≥ 400", capitalised; null when none came. */
  verdict: string | null;
  checks: string[];
  /** A real evaluation that fired, or a dry run whose verdict says it would. */
  wouldFire: boolean;
}

export function evaluationWords(evaluation: { fired: boolean; reasons: readonly string[] }): EvaluationWords {
  const [first, ...checks] = evaluation.reasons;
  const verdict = first ? first.charAt(0).toUpperCase() + first.slice(1) : null;
  return { verdict, checks, wouldFire: evaluation.fired || /^(would fire|fired)\b/i.test(first ?? "") };
}
