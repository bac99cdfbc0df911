import { describe, expect, it } from "vitest";
import type { Evaluation__Output } from "@tessera/proto/generated/tessera/training/v1/Evaluation";
import { finalMetricOf } from "../../../src/training/report/final-metric";
import { cellSamples, sampleResults, worstMistakes } from "../../../src/training/report/sample-results";
import {
  accuracyOf,
  comparableAccuracies,
  isWorseThan,
  servingVersionId,
} from "../../../src/training/report/serving-version";
import { sampleResultsOf } from "../../../src/training/worker/sample-results";
import type { TrainingSample } from "../../../src/training/worker/training-samples";

const evaluation = (predicted: number[], confidence: number[]): Evaluation__Output =>
  ({ split: "VALIDATION", predicted, confidence, reliability: [] }) as unknown as Evaluation__Output;

// Labels: 0 = cat, 1 = dog. Samples s0…s4 validate, t0 trains.
const samples: TrainingSample[] = [
  { sampleId: "t0", sha256: "a", label: 0, split: "TRAIN" },
  { sampleId: "s0", sha256: "b", label: 0, split: "VALIDATION" },
  { sampleId: "s1", sha256: "c", label: 0, split: "VALIDATION" },
  { sampleId: "s2", sha256: "d", label: 1, split: "VALIDATION" },
  { sampleId: "s3", sha256: "e", label: 1, split: "VALIDATION" },
  { sampleId: "s4", sha256: "f", label: 0, split: "VALIDATION" },
];
//                       s0 ✓  s1 ✗  s2 ✓  s3 ✗  s4 ✗
const predicted = /* */ [0, 1, 1, 0, 1];
const confidence = [0.9, 0.6, 0.55, 0.8, 0.95];

describe("per-sample results", () => {
  it("joins the tier's results with the split's samples, in the split's order", () => {
    expect(sampleResultsOf(evaluation(predicted, confidence), samples)).toEqual({
      sampleIds: ["s0", "s1", "s2", "s3", "s4"],
      actual: [0, 0, 1, 1, 0],
      predicted,
      confidence,
      omitted: 0,
    });
  });

  it("keeps every mistake first (most confident first), then the least confident right answers, past the bound", () => {
    expect(sampleResultsOf(evaluation(predicted, confidence), samples, 4)).toEqual({
      sampleIds: ["s1", "s2", "s3", "s4"],
      actual: [0, 1, 1, 0],
      predicted: [1, 1, 0, 1],
      confidence: [0.6, 0.55, 0.8, 0.95],
      omitted: 1,
    });
  });

  it("keeps nothing when the tier's count does not match the split (an older tier sends none)", () => {
    expect(sampleResultsOf(evaluation([], []), samples)).toBeUndefined();
    expect(sampleResultsOf(evaluation([0], [0.5]), samples)).toBeUndefined();
  });

  it("lists a cell worst first: confident mistakes first, on the diagonal the least confident", () => {
    const results = sampleResults({
      validation: sampleResultsOf(evaluation(predicted, confidence), samples)!,
    });
    expect(cellSamples(results, 0, 1, 50).map((r) => r.sampleId)).toEqual(["s4", "s1"]);
    expect(cellSamples(results, 0, 1, 1).map((r) => r.sampleId)).toEqual(["s4"]);
    expect(cellSamples(results, 0, 0, 50).map((r) => r.sampleId)).toEqual(["s0"]);
    expect(cellSamples(results, 1, 1, 50).map((r) => [r.sampleId, r.split])).toEqual([["s2", "validation"]]);
    expect(worstMistakes(results, 2).map((r) => r.sampleId)).toEqual(["s4", "s3"]);
    expect(sampleResults({ validation: null, test: null })).toEqual([]);
  });
});

describe("the final metric", () => {
  const trials = [
    { number: 0, status: "SUCCEEDED", objective: 0.4 },
    { number: 1, status: "SUCCEEDED", objective: 0.3 },
    { number: 2, status: "PRUNED", objective: 0.1 },
    { number: 3, status: "FAILED", objective: null },
  ];

  it("is the best succeeded trial's monitored value, lowest loss or highest accuracy", () => {
    expect(finalMetricOf(trials, "val_loss")).toEqual({ name: "val_loss", value: 0.3 });
    expect(finalMetricOf(trials, "val_accuracy")).toEqual({ name: "val_accuracy", value: 0.4 });
    expect(finalMetricOf(trials.slice(2), "val_loss")).toBeNull();
  });
});

describe("worse than serving", () => {
  const version = (id: string, validationAccuracy: number | null, testAccuracy: number | null = null) => ({
    id,
    metrics: { validationAccuracy, testAccuracy },
  });
  const versions = [{ id: "v3" }, { id: "v2" }, { id: "v1" }];
  const production = [{ alias: "production", versionId: "v1" }];
  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
  const deployment = (state: string, updated = 0, alias: string | null = null) => ({
    state,
    alias,
    updatedAt: at(updated),
  });

  it("serves the READY deployment, else a LOADING one, else a followed alias, else production", () => {
    const ready = [null, deployment("READY"), deployment("LOADING")];
    expect(servingVersionId(versions, ready, production)).toBe("v2");
    const loading = [deployment("LOADING"), deployment("UNLOADING"), null];
    expect(servingVersionId(versions, loading, production)).toBe("v3");
    // A failed deployment that follows `staging` serves staging's version once it recovers.
    const aliases = [...production, { alias: "staging", versionId: "v2" }];
    expect(servingVersionId(versions, [deployment("FAILED", 0, "staging"), null, null], aliases)).toBe("v2");
    expect(servingVersionId(versions, [deployment("FAILED"), null, null], aliases)).toBe("v1");
    // An alias that no longer exists leads nowhere: the next rule decides.
    expect(servingVersionId(versions, [deployment("FAILED", 0, "canary"), null, null], aliases)).toBe("v1");
    expect(
      servingVersionId(versions, [null, null, null], [{ alias: "staging", versionId: "v2" }]),
    ).toBeNull();
  });

  it("breaks ties by the most recently updated deployment, then the newer version", () => {
    const twoFailed = [deployment("FAILED", 1, "staging"), null, deployment("FAILED", 2, "production")];
    const aliases = [...production, { alias: "staging", versionId: "v2" }];
    expect(servingVersionId(versions, twoFailed, aliases)).toBe("v1");
    const sameTime = [null, deployment("FAILED", 1, "staging"), deployment("FAILED", 1, "production")];
    expect(servingVersionId(versions, sameTime, aliases)).toBe("v2");
  });

  it("compares like with like: validation when both have it, else test, strictly", () => {
    expect(accuracyOf(version("a", null, 0.7))).toBe(0.7);
    expect(comparableAccuracies(version("a", 0.8, 0.99), version("b", 0.9, 0.1))).toEqual({
      split: "validation",
      mine: 0.8,
      theirs: 0.9,
    });
    expect(isWorseThan(version("a", 0.8, 0.99), version("b", 0.9, 0.1))).toBe(true);
    // Only one of them has a validation accuracy: their test accuracies are compared.
    expect(isWorseThan(version("a", null, 0.8), version("b", 0.9, 0.7))).toBe(false);
    expect(isWorseThan(version("a", 0.95, 0.6), version("b", null, 0.7))).toBe(true);
    // No like pair: unknown, so not flagged, however the mixed numbers look.
    expect(comparableAccuracies(version("a", null, 0.1), version("b", 0.9))).toBeNull();
    expect(isWorseThan(version("a", null, 0.1), version("b", 0.9))).toBe(false);
    expect(isWorseThan(version("a", 0.9), version("b", 0.9))).toBe(false);
    expect(isWorseThan(version("a", 0.8), version("a", 0.9))).toBe(false);
    expect(isWorseThan(version("a", 0.5), version("b", null))).toBe(false);
    expect(isWorseThan(version("a", 0.5), null)).toBe(false);
  });
});
