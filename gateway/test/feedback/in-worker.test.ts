import { seededGaussian, seededRandom } from "@tessera/seeded-random";
import { describe, expect, it } from "vitest";
import { testForDriftInWorker } from "../../src/feedback/drift/drift-in-worker";
import { testForDrift, type DriftSettings } from "../../src/feedback/drift/drift-test";
import type { SampleMatrix } from "../../src/feedback/drift/sample-matrix";
import { selectBatch, type BatchSelection } from "../../src/feedback/labeling/selection/select-batch";
import { selectBatchInWorker } from "../../src/feedback/labeling/selection/select-in-worker";
import { gaussianSample } from "./drift/gaussian-samples";

// The worker entry points run the same pure functions on another thread: same answers, bit for
// bit (toEqual compares numbers with Object.is), and the inputs' buffers moved, not copied.

const copy = (matrix: SampleMatrix): SampleMatrix => ({ ...matrix, data: matrix.data.slice() });

describe("drift test in a worker", () => {
  const settings: DriftSettings[] = [
    { method: "MMD", pValue: 0.01, minEffect: 0.01, seed: 7, permutations: 99 },
    { method: "DOMAIN_CLASSIFIER", pValue: 0.01, minEffect: 0.05, seed: 7 },
  ];
  for (const setting of settings) {
    it(`${setting.method}: the in-process measurement, the inputs transferred`, async () => {
      const recent = gaussianSample(40, 8, 0.4, 3);
      const reference = gaussianSample(40, 8, 0, 4);
      const expected = testForDrift(recent, reference, setting);
      const sent = [copy(recent), copy(reference)] as const;
      const measured = await testForDriftInWorker(sent[0], sent[1], setting);
      expect(measured).toEqual(expected);
      expect(sent[0].data.byteLength).toBe(0);
      expect(sent[1].data.byteLength).toBe(0);
    });
  }
});

describe("batch selection in a worker", () => {
  const items = 60;
  const classes = 3;
  const dimension = 16;
  const random = seededRandom(11);
  const normal = seededGaussian(12);
  const probabilities = Float64Array.from({ length: items * classes }, () => random());
  const embeddings = { values: Float64Array.from({ length: items * dimension }, normal), dimension };
  const labelled = { values: Float64Array.from({ length: 5 * dimension }, normal), dimension };
  const base: BatchSelection = {
    probabilities,
    classes,
    strategy: "ENTROPY",
    diversity: "KCENTER",
    size: 8,
    randomShare: 0.25,
    seed: 5,
    embeddings,
    labelled,
  };
  const copied = (selection: BatchSelection): BatchSelection => ({
    ...selection,
    probabilities: Float64Array.from(selection.probabilities),
    embeddings: { values: Float64Array.from(embeddings.values), dimension },
    labelled: { values: Float64Array.from(labelled.values), dimension },
  });

  for (const diversity of ["KCENTER", "CLUSTER"] as const) {
    it(`${diversity}: the in-process picks, the inputs transferred`, async () => {
      const selection = { ...base, diversity };
      const expected = selectBatch(selection);
      const sent = copied(selection);
      expect(await selectBatchInWorker(sent)).toEqual(expected);
      expect((sent.probabilities as Float64Array).byteLength).toBe(0);
      expect((sent.embeddings!.values as Float64Array).byteLength).toBe(0);
    });
  }

  it("rejects with the function's error class and message", async () => {
    const failed = selectBatchInWorker(copied({ ...base, size: items + 1 }));
    await expect(failed).rejects.toThrow(RangeError);
    await expect(failed).rejects.toThrow(/^The batch selection failed: size must be between 1/);
  });
});
