import { describe, expect, it } from "vitest";
import { analyzeQuality } from "../../../src/datasets/quality/analyze-quality";
import { cleanClass, flipBits, hashOf, measured, messySamples, messySkipped } from "./seed-quality";

const bird = ["bird/bird-00.jpg", "bird/bird-01.jpg"];

describe("analyzeQuality on crafted measurements", () => {
  it("finds each problem with exactly the affected samples, most severe first", () => {
    const report = analyzeQuality({
      samples: messySamples().map((s) => measured(s)),
      skipped: messySkipped,
      neighbours: null,
    });
    expect(report.usedEmbeddings).toBe(false);
    expect(report.findings.map(({ kind, severity, sampleIds }) => ({ kind, severity, sampleIds }))).toEqual([
      { kind: "SMALL_CLASSES", severity: "ERROR", sampleIds: bird },
      { kind: "CLASS_IMBALANCE", severity: "WARNING", sampleIds: bird },
      { kind: "EXACT_DUPLICATES", severity: "WARNING", sampleIds: ["cat/cat-00.jpg", "cat/cat-01.jpg"] },
      { kind: "UNREADABLE_FILES", severity: "WARNING", sampleIds: [] },
      { kind: "LOW_RESOLUTION", severity: "WARNING", sampleIds: ["cat/cat-02.jpg"] },
      { kind: "BLURRY", severity: "WARNING", sampleIds: ["cat/cat-03.jpg"] },
      { kind: "UNDER_EXPOSED", severity: "WARNING", sampleIds: ["dog/dog-03.jpg"] },
      { kind: "OVER_EXPOSED", severity: "WARNING", sampleIds: ["dog/dog-02.jpg"] },
      { kind: "NEAR_DUPLICATES", severity: "INFO", sampleIds: ["dog/dog-00.jpg", "dog/dog-01.jpg"] },
    ]);
    const byKind = Object.fromEntries(report.findings.map((f) => [f.kind, f]));
    expect(byKind.EXACT_DUPLICATES!.recommendation).toBe(
      "Remove 1 exact duplicate (keep one of each group) so they don't leak between train and validation",
    );
    expect(byKind.EXACT_DUPLICATES!.details.groups).toEqual([["cat/cat-00.jpg", "cat/cat-01.jpg"]]);
    expect(byKind.UNREADABLE_FILES!.details.files).toEqual(messySkipped);
    expect(byKind.CLASS_IMBALANCE!.details).toMatchObject({ ratio: 6, balance: 0.8173 });
    expect(byKind.CLASS_IMBALANCE!.recommendation).toContain(
      '"cat" has 6.0× the samples of "bird" (12 vs 2)',
    );
    expect(byKind.SMALL_CLASSES!.recommendation).toContain('"bird" (2)');
    expect(byKind.NEAR_DUPLICATES!.details.groups).toEqual([["dog/dog-00.jpg", "dog/dog-01.jpg"]]);
    expect(byKind.BLURRY!.details.scores).toEqual([{ id: "cat/cat-03.jpg", blurScore: 3, threshold: 10 }]);
  });

  it("scores a clean dataset 100 with no findings, above the messy one", () => {
    const clean = analyzeQuality({
      samples: [...cleanClass("cat", 10), ...cleanClass("dog", 10)].map((s) => measured(s)),
      skipped: [],
      neighbours: null,
    });
    expect(clean).toEqual({ score: 100, findings: [], usedEmbeddings: false });
    const messy = analyzeQuality({
      samples: messySamples().map((s) => measured(s)),
      skipped: messySkipped,
      neighbours: null,
    });
    expect(messy.score).toBeLessThan(clean.score);
    // Penalties: small classes 20 × 0.7 = 14; imbalance 8 × (0.5 + 0.5 × 0.1827 / 0.25) = 6.92;
    // unreadable 8 × (0.5 + 0.5 × (1/21) / 0.25) = 4.76; five one-image warnings 5 × 4.8 = 24;
    // near duplicates 2 × 0.6 = 1.2. 100 − 50.89 = 49.1.
    expect(messy.score).toBe(49.1);
  });

  it("gives the documented score for one duplicate pair and one small image among 20", () => {
    const samples = [...cleanClass("cat", 10), ...cleanClass("dog", 10)];
    samples[1] = { ...samples[1]!, bytes: samples[0]!.path, perceptualHash: hashOf(samples[0]!.path) };
    samples[15] = { ...samples[15]!, height: 32 };
    const report = analyzeQuality({
      samples: samples.map((s) => measured(s)),
      skipped: [],
      neighbours: null,
    });
    // Each: WARNING weight 8 × (0.5 + 0.5 × min(1, (1/20) / 0.25)) = 8 × 0.6 = 4.8; 100 − 9.6.
    expect(report.findings.map((f) => f.kind)).toEqual(["EXACT_DUPLICATES", "LOW_RESOLUTION"]);
    expect(report.score).toBe(90.4);
  });

  it("marks duplicates under different labels as an error", () => {
    const samples = [...cleanClass("cat", 6), ...cleanClass("dog", 6)];
    samples[6] = { ...samples[6]!, bytes: samples[0]!.path, perceptualHash: hashOf(samples[0]!.path) };
    const [finding] = analyzeQuality({
      samples: samples.map((s) => measured(s)),
      skipped: [],
      neighbours: null,
    }).findings;
    expect(finding).toMatchObject({
      kind: "EXACT_DUPLICATES",
      severity: "ERROR",
      sampleIds: ["cat/cat-00.jpg", "dog/dog-00.jpg"],
      details: { conflictingLabels: 1 },
    });
  });

  it("flags a sample whose nearest neighbours mostly carry another label", () => {
    const samples = [...cleanClass("cat", 6), ...cleanClass("dog", 6)].map((s) => measured(s));
    const cats = samples.slice(0, 6).map((s) => s.id);
    const dogs = samples.slice(6).map((s) => s.id);
    // cat-05 sits among the dogs; everything else among its own class.
    const neighbours = samples.map(({ id }) => ({
      sampleId: id,
      neighbourIds:
        id === cats[5] ? dogs.slice(0, 5) : (cats.includes(id) ? cats : dogs).filter((o) => o !== id),
    }));
    const report = analyzeQuality({ samples, skipped: [], neighbours });
    expect(report.usedEmbeddings).toBe(true);
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: "SUSPECTED_LABEL_ERRORS",
        severity: "WARNING",
        sampleIds: ["cat/cat-05.jpg"],
        details: expect.objectContaining({
          samples: [{ id: "cat/cat-05.jpg", label: "cat", suggestedLabel: "dog", votes: "5/5" }],
        }),
      }),
    ]);
  });

  it("finds near-duplicates among 5,000 hashes without comparing every pair", () => {
    const samples = cleanClass("many", 5000).map((s) => measured(s));
    // Three planted pairs at 1, 6 and 7 bits: the first two are near-duplicates, the third is not.
    const plant = (index: number, source: number, bits: number) => {
      samples[index] = {
        ...samples[index]!,
        perceptualHash: flipBits(samples[source]!.perceptualHash, bits),
      };
    };
    plant(10, 9, 1);
    plant(2000, 1999, 6);
    plant(4000, 3999, 7);
    const started = performance.now();
    const report = analyzeQuality({ samples, skipped: [], neighbours: null });
    expect(performance.now() - started).toBeLessThan(1500);
    const near = report.findings.find((f) => f.kind === "NEAR_DUPLICATES")!;
    expect(near.details.groups).toEqual([
      [samples[9]!.id, samples[10]!.id],
      [samples[1999]!.id, samples[2000]!.id],
    ]);
  });
});
