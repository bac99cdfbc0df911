import { describe, expect, it } from "vitest";
import { describeDrift, testForDrift, type DriftSettings } from "../../../src/feedback/drift/drift-test";
import { gaussianSample } from "./gaussian-samples";

const mmd: DriftSettings = { method: "MMD", pValue: 0.01, minEffect: 0.01, seed: 1, permutations: 199 };
const classifier: DriftSettings = { method: "DOMAIN_CLASSIFIER", pValue: 0.01, minEffect: 0.05, seed: 1 };

describe("drift decision", () => {
  for (const settings of [mmd, classifier]) {
    it(`${settings.method}: identical samples → no drift, shifted Gaussians → drift`, () => {
      const reference = gaussianSample(60, 4, 0, 21);
      expect(testForDrift(reference, reference, settings).drifted).toBe(false);
      const shifted = testForDrift(gaussianSample(60, 4, 1, 22), reference, settings);
      expect(shifted.drifted).toBe(true);
      expect(shifted.recent).toBe(60);
      expect(shifted.reference).toBe(60);
    });
  }

  it("needs the minimum effect as well as significance: a tiny shift in a large window is not drift", () => {
    const recent = gaussianSample(400, 2, 0.25, 31);
    const reference = gaussianSample(400, 2, 0, 32);
    const measured = testForDrift(recent, reference, { ...mmd, minEffect: 0.05 });
    expect(measured.pValue).toBeLessThan(0.01);
    expect(measured.effect).toBeLessThan(0.05);
    expect(measured.drifted).toBe(false);
  });

  it("says which side of each threshold the figures fell on", () => {
    const settings = { ...mmd, minEffect: 0.01 };
    expect(
      describeDrift(
        {
          method: "MMD",
          statistic: 0.0312,
          pValue: 0.002,
          effect: 0.0312,
          drifted: true,
          recent: 200,
          reference: 200,
          details: {},
        },
        settings,
      ),
    ).toBe("drift MMD² 0.031 (p 0.002 < 0.01, effect 0.031 ≥ 0.01)");
    expect(
      describeDrift(
        {
          method: "DOMAIN_CLASSIFIER",
          statistic: 0.523,
          pValue: 0.31,
          effect: 0.023,
          drifted: false,
          recent: 50,
          reference: 50,
          details: {},
        },
        classifier,
      ),
    ).toBe("no drift: domain classifier AUC 0.52 (p 0.31 ≥ 0.01, effect 0.023 < 0.05)");
  });
});
