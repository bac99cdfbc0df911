import { describe, expect, it } from "vitest";
import { planCorrections, planMessage } from "../../../src/feedback/retraining/correction-plan";
import { verdictOf, type TriggerCheck } from "../../../src/feedback/retraining/evaluation-verdict";
import { decidePromotion } from "../../../src/feedback/retraining/promotion-decision";

const corrections: TriggerCheck = {
  trigger: "feedbackCount",
  met: true,
  reason: "412 corrections ≥ 400",
  metrics: { count: 412, threshold: 400 },
};
const drift: TriggerCheck = {
  trigger: "drift",
  met: true,
  reason: "drift MMD² 0.031 (p 0.002 < 0.01, effect 0.031 ≥ 0.01)",
  metrics: { statistic: 0.031 },
};
const calm: TriggerCheck = { ...corrections, met: false, reason: "12 corrections < 400" };

describe("a policy's verdict", () => {
  it("says why it would fire, trigger by trigger, and a dry run fires nothing", () => {
    const verdict = verdictOf([corrections, drift], null, true);
    expect(verdict.fires).toBe(false);
    expect(verdict.reasons).toEqual([
      "would fire, because 412 corrections ≥ 400; drift MMD² 0.031 (p 0.002 < 0.01, effect 0.031 ≥ 0.01)",
      corrections.reason,
      drift.reason,
    ]);
    expect(verdict.metrics).toEqual({ feedbackCount: corrections.metrics, drift: drift.metrics });
    expect(verdictOf([corrections, drift], null, false)).toMatchObject({
      fires: true,
      reasons: [expect.stringMatching(/^fired, because 412 corrections/), corrections.reason, drift.reason],
    });
  });

  it("names what blocks a trigger that holds, and says when none holds", () => {
    const blocked = verdictOf(
      [corrections],
      { reason: "the cooldown lasts until 2026-12-08T03:00:00.000Z", metrics: {} },
      false,
    );
    expect(blocked.fires).toBe(false);
    expect(blocked.reasons[0]).toBe(
      "did not fire: the cooldown lasts until 2026-12-08T03:00:00.000Z (triggered by 412 corrections ≥ 400)",
    );
    expect(verdictOf([calm], null, true).reasons).toEqual([
      "would not fire: no trigger holds",
      "12 corrections < 400",
    ]);
  });
});

describe("the corrections a run applies", () => {
  const members = [
    { sampleId: "s1", sha256: "a", label: "cat" },
    { sampleId: "s2", sha256: "b", label: "dog" },
    { sampleId: "s3", sha256: "c", label: null },
  ];

  it("relabels samples by id or by identical content, adds new images, and lets the latest correction win", () => {
    const plan = planCorrections(
      [
        { feedbackId: "f1", label: "dog", sampleId: "s1", sha256: "a" },
        { feedbackId: "f2", label: "dog", sampleId: null, sha256: "b" },
        { feedbackId: "f3", label: "cat", sampleId: null, sha256: "z" },
        { feedbackId: "f4", label: "bird", sampleId: null, sha256: "z" },
        { feedbackId: "f5", label: "cat", sampleId: "s3", sha256: "c" },
        { feedbackId: "f6", label: "cat", sampleId: "elsewhere", sha256: null },
      ],
      members,
    );
    expect(plan).toEqual({
      labels: [
        { sampleId: "s1", label: "dog" },
        { sampleId: "s3", label: "cat" },
      ],
      additions: [{ sha256: "z", label: "bird" }],
      feedbackIds: ["f1", "f2", "f3", "f4", "f5"],
      unchanged: 1,
    });
    expect(planMessage("nightly", plan)).toBe(
      'Retraining policy "nightly": 2 relabelled, 1 added, 1 confirmed from 5 corrections',
    );
  });
});

describe("the promotion decision", () => {
  const heldOut = { source: "test split", count: 50 };
  const scored = (versionId: string, accuracy: number) => ({
    versionId,
    version: versionId,
    accuracy,
    correct: accuracy * 50,
  });

  it("moves the alias only when the challenger wins by the margin on the same held-out set", () => {
    const win = decidePromotion({
      heldOut,
      champion: scored("v1", 0.8),
      challenger: scored("v2", 0.86),
      margin: 0.05,
    });
    expect(win).toMatchObject({ promoted: true, required: 0.8 + 0.05 });
    expect(win.reason).toBe("promoted: challenger accuracy 0.86 ≥ champion 0.8 + margin 0.05");
    const tie = decidePromotion({
      heldOut,
      champion: scored("v1", 0.8),
      challenger: scored("v2", 0.8),
      margin: 0,
    });
    expect(tie.promoted).toBe(true);
    const short = decidePromotion({
      heldOut,
      champion: scored("v1", 0.8),
      challenger: scored("v2", 0.84),
      margin: 0.05,
    });
    expect(short).toMatchObject({
      promoted: false,
      reason: "not promoted: challenger accuracy 0.84 < champion 0.8 + margin 0.05",
    });
  });

  it("sets an alias nobody had, and keeps one whose champion cannot be scored", () => {
    expect(
      decidePromotion({ heldOut, champion: null, challenger: scored("v2", 0.5), margin: 0.1 }).promoted,
    ).toBe(true);
    const unscored = decidePromotion({
      heldOut,
      champion: null,
      championError: "version v1 is PYTORCH",
      challenger: scored("v2", 0.9),
      margin: 0,
    });
    expect(unscored).toMatchObject({
      promoted: false,
      reason: "not promoted: the champion could not be evaluated (version v1 is PYTORCH)",
    });
  });
});
