import { Cron } from "croner";
import { badInput } from "../../errors";
import { checkLength, limits } from "../../limits";
import { validAlias } from "../../models/model-validation";
import type { DriftMethodName } from "../drift/drift-test";

const bounds = limits.retraining;

export const DEFAULT_COOLDOWN_SECONDS = 3600;
export const DEFAULT_DRIFT_P_VALUE = 0.01;
export const DEFAULT_DRIFT_WINDOW = 200;
export const DEFAULT_PROMOTION_ALIAS = "production";

/** The largest minimum effect each drift method can ever reach (MMD² ≤ 2 with an RBF kernel; AUC − 0.5 ≤ 0.5). */
export const maxMinEffect: Record<DriftMethodName, number> = { MMD: 2, DOMAIN_CLASSIFIER: 0.5 };

export interface DriftTriggerSettings {
  method: DriftMethodName;
  pValue: number;
  minEffect: number;
  window: number;
}

/** A policy's triggers as stored (RetrainingPolicy.triggers); any one that holds fires it. */
export interface TriggerSettings {
  feedbackCount: number | null;
  schedule: string | null;
  meanUncertaintyAbove: number | null;
  drift: DriftTriggerSettings | null;
}

export interface PromotionSettings {
  alias: string;
  mustBeatChampionBy: number;
}

/** The trigger fields as a client sends them (GraphQL hands absent fields over as null). */
export interface TriggersInputShape {
  feedbackCount?: number | null;
  schedule?: string | null;
  meanUncertaintyAbove?: number | null;
  drift?: {
    method: DriftMethodName;
    pValue?: number | null;
    minEffect: number;
    window?: number | null;
  } | null;
}

/** Checks every trigger against its bound; at least one must be given. */
export function checkTriggers(input: TriggersInputShape): TriggerSettings {
  const triggers: TriggerSettings = {
    feedbackCount: input.feedbackCount ?? null,
    schedule: input.schedule?.trim() || null,
    meanUncertaintyAbove: input.meanUncertaintyAbove ?? null,
    drift: input.drift ? checkDrift(input.drift) : null,
  };
  const { feedbackCount, schedule, meanUncertaintyAbove } = triggers;
  if (feedbackCount === null && schedule === null && meanUncertaintyAbove === null && !triggers.drift) {
    throw badInput("Give at least one trigger: feedbackCount, schedule, meanUncertaintyAbove or drift", {
      field: "triggers",
    });
  }
  if (feedbackCount !== null) {
    integerIn("triggers.feedbackCount", feedbackCount, 1, bounds.feedbackCount);
  }
  if (schedule !== null) cronOf(schedule);
  if (meanUncertaintyAbove !== null && !(meanUncertaintyAbove > 0 && meanUncertaintyAbove < 1)) {
    throw badInput(
      `triggers.meanUncertaintyAbove must be above 0 and below 1 (normalised entropy), got ${meanUncertaintyAbove}`,
      { field: "triggers.meanUncertaintyAbove" },
    );
  }
  return triggers;
}

function checkDrift(drift: NonNullable<TriggersInputShape["drift"]>): DriftTriggerSettings {
  const pValue = drift.pValue ?? DEFAULT_DRIFT_P_VALUE;
  const window = drift.window ?? DEFAULT_DRIFT_WINDOW;
  if (!(pValue >= bounds.driftPValueMin && pValue <= bounds.driftPValueMax)) {
    throw badInput(
      `triggers.drift.pValue must be from ${bounds.driftPValueMin} to ${bounds.driftPValueMax}, got ${pValue}`,
      { field: "triggers.drift.pValue" },
    );
  }
  const largest = maxMinEffect[drift.method];
  if (!(drift.minEffect > 0 && drift.minEffect <= largest)) {
    throw badInput(
      `triggers.drift.minEffect must be above 0 and at most ${largest} for ${drift.method} ` +
        `(${drift.method === "MMD" ? "the MMD² estimate" : "AUC − 0.5"}), got ${drift.minEffect}`,
      { field: "triggers.drift.minEffect" },
    );
  }
  integerIn("triggers.drift.window", window, bounds.driftWindowMin, bounds.driftWindow);
  return { method: drift.method, pValue, minEffect: drift.minEffect, window };
}

export function checkCooldown(cooldown: number | null | undefined): number {
  return integerIn("cooldown", cooldown ?? DEFAULT_COOLDOWN_SECONDS, 0, bounds.cooldownSeconds);
}

export function checkPromotion(input: {
  alias?: string | null;
  mustBeatChampionBy?: number | null;
}): PromotionSettings {
  const margin = input.mustBeatChampionBy ?? 0;
  if (!(margin >= 0 && margin <= 1)) {
    throw badInput(`promote.mustBeatChampionBy must be from 0 to 1 (accuracy), got ${margin}`, {
      field: "promote.mustBeatChampionBy",
    });
  }
  return { alias: validAlias(input.alias ?? DEFAULT_PROMOTION_ALIAS), mustBeatChampionBy: margin };
}

export function checkPolicyName(name: string | null | undefined): string | null {
  return checkLength("name", name?.trim() ?? "", limits.nameLength) || null;
}

/**
 * The first time the schedule comes due after `after`, or null without a schedule. Cron
 * expressions are read by croner in UTC; a policy's schedule is checked on each scheduler tick,
 * so it fires at the first tick after it came due.
 */
export function nextScheduledAt(schedule: string | null, after: Date): Date | null {
  return schedule ? cronOf(schedule).nextRun(after) : null;
}

function cronOf(schedule: string): Cron {
  checkLength("triggers.schedule", schedule, bounds.scheduleLength);
  let cron: Cron;
  try {
    cron = new Cron(schedule, { paused: true, timezone: "UTC" });
  } catch (error) {
    throw badInput(
      `triggers.schedule "${schedule}" is not a cron expression: ${(error as Error).message}; ` +
        `use 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, in UTC`,
      { field: "triggers.schedule" },
    );
  }
  if (!cron.nextRun()) {
    throw badInput(`triggers.schedule "${schedule}" never comes due`, { field: "triggers.schedule" });
  }
  return cron;
}

function integerIn(field: string, value: number, min: number, max: number): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw badInput(`${field} must be a whole number from ${min} to ${max}, got ${value}`, { field });
}

/** The stored JSON back as settings (written by checkTriggers, so only its shape is read). */
export function readTriggers(stored: unknown): TriggerSettings {
  const value = (stored ?? {}) as Partial<TriggerSettings>;
  return {
    feedbackCount: value.feedbackCount ?? null,
    schedule: value.schedule ?? null,
    meanUncertaintyAbove: value.meanUncertaintyAbove ?? null,
    drift: value.drift ?? null,
  };
}
