import { describe, expect, it } from "vitest";
import {
  planCorrections,
  planMessage,
  screenLabels,
  withoutRefusedImages,
} from "../../../src/feedback/retraining/correction-plan";
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

  it("leaves out, with the reason, labels no class can have and images the dataset checks refuse", () => {
    const candidates = [
      { feedbackId: "f1", label: " dog ", sampleId: "s1", sha256: "a" },
      { feedbackId: "f2", label: "_unlabeled", sampleId: "s2", sha256: "b" },
      { feedbackId: "f3", label: "   ", sampleId: null, sha256: "y" },
      { feedbackId: "f4", label: "cat", sampleId: null, sha256: "z" },
      { feedbackId: "f5", label: "cat", sampleId: null, sha256: "a" },
    ];
    const labelled = screenLabels(candidates);
    expect(labelled.kept.map((c) => [c.feedbackId, c.label])).toEqual([
      ["f1", "dog"],
      ["f4", "cat"],
      ["f5", "cat"],
    ]);
    expect(labelled.skipped).toEqual([
      {
        feedbackId: "f2",
        reason: '"_unlabeled" is the unlabeled pool\'s folder, not a class name: pick another name',
      },
      { feedbackId: "f3", reason: 'A class name must be 1–100 characters after trimming, got "   "' },
    ]);
    // Image "a" is refused too, but f5 only relabels the base sample that has it: no image needed.
    const refused = new Map([
      ["z", "The stored file z cannot be a dataset image: not an image"],
      ["a", "never read"],
    ]);
    const screened = withoutRefusedImages(labelled.kept, members, refused);
    expect(screened.kept.map((c) => c.feedbackId)).toEqual(["f1", "f5"]);
    expect(screened.skipped).toEqual([
      { feedbackId: "f4", reason: "The stored file z cannot be a dataset image: not an image" },
    ]);
  });
});

describe("the promotion decision", () => {
  const heldOut = { source: "test split", count: 50, minimum: 20 };
  const scored = (versionId: string, accuracy: number) => ({
    versionId,
    version: versionId,
    accuracy,
    correct: accuracy * 50,
  });

  it("moves the alias only when the challenger beats the champion by more than the margin", () => {
    const win = decidePromotion({
      heldOut,
      champion: scored("v1", 0.8),
      challenger: scored("v2", 0.86),
      margin: 0.05,
    });
    expect(win).toMatchObject({ promoted: true, required: 0.8 + 0.05 });
    expect(win.reason).toBe("promoted: challenger accuracy 0.86 > champion 0.8 + margin 0.05");
    // "Beat" is strict: a tie keeps the champion, even when rounding puts it a hair either side.
    const tie = decidePromotion({
      heldOut,
      champion: scored("v1", 0.7),
      challenger: scored("v2", 0.6 + 0.1),
      margin: 0,
    });
    expect(tie).toMatchObject({
      promoted: false,
      reason: "not promoted: challenger accuracy 0.7 ≤ champion 0.7 + margin 0",
    });
    const short = decidePromotion({
      heldOut,
      champion: scored("v1", 0.8),
      challenger: scored("v2", 0.84),
      margin: 0.05,
    });
    expect(short).toMatchObject({
      promoted: false,
      reason: "not promoted: challenger accuracy 0.84 ≤ champion 0.8 + margin 0.05",
    });
  });

  it("does not decide against a champion on too few held-out samples, but sets an alias nobody had", () => {
    const few = { source: "validation draw", count: 6, minimum: 20 };
    const undecided = decidePromotion({
      heldOut: few,
      champion: scored("v1", 0.3),
      challenger: scored("v2", 1),
      margin: 0,
    });
    expect(undecided).toMatchObject({
      promoted: false,
      heldOut: few,
      reason: "not promoted: not enough held-out samples to decide (6; needs 20)",
    });
    expect(
      decidePromotion({ heldOut: few, champion: null, challenger: scored("v2", 0.5), margin: 0.1 }).promoted,
    ).toBe(true);
  });

  it("keeps an alias whose champion cannot be scored", () => {
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
