import { describe, expect, it } from "vitest";
import { AppError } from "../../../src/errors";
import {
  checkCooldown,
  checkPromotion,
  checkTriggers,
  nextScheduledAt,
} from "../../../src/feedback/retraining/policy-settings";

function refusal(run: () => unknown): { code: string; message: string; field: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError)
      return { code: error.code, message: error.message, field: error.details.field };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("retraining policy settings", () => {
  it("fills defaults and keeps what was given", () => {
    expect(checkTriggers({ feedbackCount: 400, drift: { method: "MMD", minEffect: 0.01 } })).toEqual({
      feedbackCount: 400,
      schedule: null,
      meanUncertaintyAbove: null,
      drift: { method: "MMD", pValue: 0.01, minEffect: 0.01, window: 200 },
    });
    expect(checkCooldown(null)).toBe(3600);
    expect(checkPromotion({})).toEqual({ alias: "production", mustBeatChampionBy: 0 });
  });

  it("refuses a cron expression that does not parse, naming the field", () => {
    const refused = refusal(() => checkTriggers({ schedule: "every day" }));
    expect(refused.code).toBe("BAD_USER_INPUT");
    expect(refused.field).toBe("triggers.schedule");
    expect(refused.message).toMatch(
      /^triggers\.schedule "every day" is not a cron expression: .*; use 5 fields/,
    );
    expect(refusal(() => checkTriggers({ schedule: "0 0 30 2 *" })).message).toBe(
      'triggers.schedule "0 0 30 2 *" never comes due',
    );
  });

  it("reads cron in UTC: the next due time after a moment", () => {
    expect(nextScheduledAt("0 3 * * *", new Date("2026-12-08T02:59:00Z"))?.toISOString()).toBe(
      "2026-12-08T03:00:00.000Z",
    );
    expect(nextScheduledAt("0 3 * * *", new Date("2026-12-08T03:00:00Z"))?.toISOString()).toBe(
      "2026-12-09T03:00:00.000Z",
    );
    expect(nextScheduledAt(null, new Date())).toBeNull();
  });

  it("needs a trigger, and every bound holds", () => {
    expect(refusal(() => checkTriggers({})).message).toMatch(/Give at least one trigger/);
    const outOfBounds: Array<[Parameters<typeof checkTriggers>[0], string]> = [
      [{ feedbackCount: 0 }, "triggers.feedbackCount"],
      [{ feedbackCount: 1_000_001 }, "triggers.feedbackCount"],
      [{ meanUncertaintyAbove: 1 }, "triggers.meanUncertaintyAbove"],
      [{ drift: { method: "MMD", minEffect: 0 } }, "triggers.drift.minEffect"],
      [{ drift: { method: "DOMAIN_CLASSIFIER", minEffect: 0.6 } }, "triggers.drift.minEffect"],
      [{ drift: { method: "MMD", minEffect: 0.01, pValue: 0.001 } }, "triggers.drift.pValue"],
      [{ drift: { method: "MMD", minEffect: 0.01, window: 501 } }, "triggers.drift.window"],
      [{ schedule: "x".repeat(101) }, "triggers.schedule"],
    ];
    for (const [input, field] of outOfBounds) expect(refusal(() => checkTriggers(input)).field).toBe(field);
    expect(refusal(() => checkCooldown(-1)).field).toBe("cooldown");
    expect(refusal(() => checkPromotion({ mustBeatChampionBy: 1.5 })).field).toBe(
      "promote.mustBeatChampionBy",
    );
  });
});
