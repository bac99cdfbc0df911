import { describe, expect, it } from "vitest";
import { analyzeQuality, sizesNotJudged } from "../../../src/datasets/quality/analyze-quality";
import { forEachHashPair } from "../../../src/datasets/quality/hash-candidates";
import { qualityThresholds } from "../../../src/datasets/quality/quality-thresholds";
import type { QualityEmbeddings, QualitySample } from "../../../src/datasets/quality/quality-input";
import { cleanClass, flipBits, hashOf, measured, messySamples, messySkipped } from "./seed-quality";

const bird = ["bird/bird-00.jpg", "bird/bird-01.jpg"];
const model128 = { name: 'v1 of "net"', width: 128, height: 128, source: 'its input tensor "x"' };

/** Embeddings where each sample's neighbours are `neighboursOf(id)` at distance 0.1, and these unit vectors. */
function embeddingsOf(
  samples: readonly QualitySample[],
  neighboursOf: (id: string) => string[],
  vectors: Record<string, number[]> = {},
): QualityEmbeddings {
  return {
    neighbours: samples.map(({ id }) => {
      const neighbourIds = neighboursOf(id);
      return { sampleId: id, neighbourIds, distances: neighbourIds.map(() => 0.1) };
    }),
    vectors: new Map(Object.entries(vectors).map(([id, vector]) => [id, Float32Array.from(vector)])),
  };
}

describe("analyzeQuality on crafted measurements", () => {
  it("finds each problem with exactly the affected samples, most severe first, sizes unjudged", () => {
    const report = analyzeQuality({
      samples: messySamples().map((s) => measured(s)),
      skipped: messySkipped,
      embeddings: null,
    });
    expect(report.usedEmbeddings).toBe(false);
    expect(report.findings.map(({ kind, severity, sampleIds }) => ({ kind, severity, sampleIds }))).toEqual([
      { kind: "SMALL_CLASSES", severity: "ERROR", sampleIds: bird },
      { kind: "CLASS_IMBALANCE", severity: "WARNING", sampleIds: bird },
      { kind: "EXACT_DUPLICATES", severity: "WARNING", sampleIds: ["cat/cat-00.jpg", "cat/cat-01.jpg"] },
      { kind: "UNREADABLE_FILES", severity: "WARNING", sampleIds: [] },
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
    expect(byKind.NEAR_DUPLICATES!.details).toMatchObject({
      groups: [["dog/dog-00.jpg", "dog/dog-01.jpg"]],
      confirmedByEmbeddings: false,
      maxHammingDistance: 2,
    });
    expect(byKind.NEAR_DUPLICATES!.explanation).toMatch(
      /^Not confirmed by embeddings .* at most 2 of 64 bits apart/,
    );
    expect(byKind.BLURRY!.details.scores).toEqual([
      { id: "cat/cat-03.jpg", measure: "blur score", score: 3, threshold: 10 },
    ]);
    expect(byKind.UNDER_EXPOSED!.explanation).toContain(
      'e.g. dog/dog-03.jpg: mean brightness 0.03 against a median of 0.5 in class "dog" (16.2 spreads below), 80 % of its pixels clipped to black.',
    );
    expect(byKind.OVER_EXPOSED!.details.images).toEqual([
      {
        id: "dog/dog-02.jpg",
        meanLuma: 0.95,
        classMedianLuma: 0.5,
        robustZ: 13.3,
        clippedDarkFraction: 0,
        clippedBrightFraction: 0.7,
      },
    ]);
    // cat-02 is 40 px wide: too small for the stored blur score, and no native measure was given.
    expect(report.notes).toEqual([
      sizesNotJudged,
      expect.stringMatching(/^No embeddings yet/),
      expect.stringMatching(/^Sharpness was not judged for 1 image under 64 px/),
    ]);
  });

  it("judges sizes only against a base model's input, naming the model and the upscale", () => {
    const samples = messySamples().map((s) => measured(s));
    const withModel = analyzeQuality({ samples, skipped: [], embeddings: null, baseModel: model128 });
    const low = withModel.findings.find((f) => f.kind === "LOW_RESOLUTION")!;
    expect(low.sampleIds).toEqual(["cat/cat-02.jpg"]);
    expect(low.recommendation).toBe(
      '1 image is much smaller than the 128×128 input of base model v1 of "net", which will upscale it 3.2×: ' +
        "use larger originals, or a base model made for images this size; upscaled they add blur, not detail",
    );
    expect(low.details.sizes).toEqual([{ id: "cat/cat-02.jpg", width: 40, height: 128, upscale: 3.2 }]);
    expect(withModel.notes[0]).toBe(
      'Sizes were judged against the 128×128 input of base model v1 of "net" (its input tensor "x").',
    );
    // A model made for small images: 40 px is enlarged 1.6×, under the 2× limit.
    const small = analyzeQuality({
      samples,
      skipped: [],
      embeddings: null,
      baseModel: { ...model128, width: 64, height: 64 },
    });
    expect(small.findings.map((f) => f.kind)).not.toContain("LOW_RESOLUTION");
  });

  it("scores a clean dataset 100 with no findings, and explains each deduction of the messy one", () => {
    const clean = analyzeQuality({
      samples: [...cleanClass("cat", 10), ...cleanClass("dog", 10)].map((s) => measured(s)),
      skipped: [],
      embeddings: null,
    });
    expect(clean).toMatchObject({ score: 100, findings: [], deductions: [], usedEmbeddings: false });
    const messy = analyzeQuality({
      samples: messySamples().map((s) => measured(s)),
      skipped: messySkipped,
      embeddings: null,
    });
    // Small classes 20 × (0.5 + 0.5 × 0.1 / 0.25) = 14; imbalance 8 × (0.5 + 0.5 × 0.1827 / 0.25)
    // = 6.92; unreadable 8 × (0.5 + 0.5 × 0.0476 / 0.25) = 4.76; four one-image warnings 4 × 4.8;
    // near duplicates 2 × 0.6 = 1.2. 100 − 46.08 = 53.9.
    expect(messy.deductions.map(({ kind, points }) => [kind, points])).toEqual([
      ["SMALL_CLASSES", 14],
      ["CLASS_IMBALANCE", 6.92],
      ["EXACT_DUPLICATES", 4.8],
      ["UNREADABLE_FILES", 4.76],
      ["BLURRY", 4.8],
      ["UNDER_EXPOSED", 4.8],
      ["OVER_EXPOSED", 4.8],
      ["NEAR_DUPLICATES", 1.2],
    ]);
    expect(messy.deductions[0]!.reason).toBe(
      "ERROR (weight 20) touching 10 % of the dataset: 20 × (0.5 + 0.5 × 10 % / 25 %) = 14",
    );
    expect(messy.score).toBe(53.9);
  });

  it("gives the documented score for one duplicate pair and one small image among 20", () => {
    const samples = [...cleanClass("cat", 10), ...cleanClass("dog", 10)];
    samples[1] = { ...samples[1]!, bytes: samples[0]!.path, perceptualHash: hashOf(samples[0]!.path) };
    samples[15] = { ...samples[15]!, height: 32 };
    const report = analyzeQuality({
      samples: samples.map((s) => measured(s)),
      skipped: [],
      embeddings: null,
      baseModel: model128,
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
      embeddings: null,
    }).findings;
    expect(finding).toMatchObject({
      kind: "EXACT_DUPLICATES",
      severity: "ERROR",
      sampleIds: ["cat/cat-00.jpg", "dog/dog-00.jpg"],
      details: { conflictingLabels: 1 },
    });
  });

  it("judges exposure against the class: a class dark by nature is not flagged, its blank image is", () => {
    // Garments on black: every image is mostly black and dim; one is entirely black.
    const dark = cleanClass("sandal", 12).map((s, index) => ({
      ...s,
      meanLuma: 0.07 + 0.005 * (index % 5),
      clippedDarkFraction: 0.75 + 0.01 * (index % 4),
    }));
    dark[7] = { ...dark[7]!, meanLuma: 0, clippedDarkFraction: 1 };
    const report = analyzeQuality({
      samples: [...dark, ...cleanClass("coat", 12)].map((s) => measured(s)),
      skipped: [],
      embeddings: null,
    });
    expect(report.findings.map(({ kind, sampleIds }) => ({ kind, sampleIds }))).toEqual([
      { kind: "UNDER_EXPOSED", sampleIds: ["sandal/sandal-07.jpg"] },
    ]);
  });

  it("judges small images' sharpness by their native measure against their class", () => {
    const samples = cleanClass("boot", 8).map((s) =>
      measured({ ...s, width: 28, height: 28, blurScore: 0.5 }),
    );
    const native = new Map(samples.map(({ id }, index) => [id, index === 3 ? 0.1 : 0.7 + 0.02 * index]));
    const report = analyzeQuality({ samples, skipped: [], embeddings: null, nativeSharpness: native });
    const blurry = report.findings.find((f) => f.kind === "BLURRY")!;
    expect(blurry.sampleIds).toEqual(["boot/boot-03.jpg"]);
    // Median of 0.1, 0.7, 0.72, 0.74, 0.78, 0.8, 0.82, 0.84: 0.76 → threshold 35 % = 0.266.
    expect(blurry.details.scores).toEqual([
      { id: "boot/boot-03.jpg", measure: "native sharpness", score: 0.1, threshold: 0.266 },
    ]);
    expect(report.notes.some((note) => note.startsWith("Sharpness was not judged"))).toBe(false);
  });

  it("flags a sample whose nearest neighbours mostly carry another label", () => {
    const samples = [...cleanClass("cat", 6), ...cleanClass("dog", 6)].map((s) => measured(s));
    const cats = samples.slice(0, 6).map((s) => s.id);
    const dogs = samples.slice(6).map((s) => s.id);
    // cat-05 sits among the dogs; everything else among its own class.
    const embeddings = embeddingsOf(samples, (id) =>
      id === cats[5] ? dogs.slice(0, 5) : (cats.includes(id) ? cats : dogs).filter((o) => o !== id),
    );
    const report = analyzeQuality({ samples, skipped: [], embeddings });
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

  it("reports two classes that sit among each other as overlapping rather than mislabelled", () => {
    const samples = [...cleanClass("coat", 10), ...cleanClass("pullover", 10)].map((s) => measured(s));
    const coats = samples.slice(0, 10).map((s) => s.id);
    const pullovers = samples.slice(10).map((s) => s.id);
    // Four coats look like pullovers: the embedding cannot tell the two apart.
    const embeddings = embeddingsOf(samples, (id) =>
      coats.indexOf(id) >= 6
        ? pullovers.slice(0, 5)
        : (coats.includes(id) ? coats : pullovers).filter((o) => o !== id),
    );
    const report = analyzeQuality({ samples, skipped: [], embeddings });
    expect(report.findings).toEqual([]);
    expect(report.notes).toContain(
      'Classes "coat" and "pullover" overlap in the embedding space (4 samples sit among the other class): mix-ups between them were not reported as label errors.',
    );
  });

  it("counts a hash match as a near-duplicate only when the embeddings agree", () => {
    const samples = cleanClass("boot", 6).map((s) => measured(s));
    // boot-01 is 4 bits from boot-00 and close in embedding space: a copy. boot-03 is 1 bit from
    // boot-02 but far in embedding space: two boots that hash alike.
    samples[1] = { ...samples[1]!, perceptualHash: flipBits(samples[0]!.perceptualHash, 4) };
    samples[3] = { ...samples[3]!, perceptualHash: flipBits(samples[2]!.perceptualHash, 1) };
    const axis = (d: number, tilt = 0) =>
      Array.from({ length: 4 }, (_, i) =>
        i === d ? Math.cos(tilt) : i === (d + 1) % 4 ? Math.sin(tilt) : 0,
      );
    const vectors = {
      [samples[0]!.id]: axis(0),
      [samples[1]!.id]: axis(0, 0.01),
      [samples[2]!.id]: axis(1),
      [samples[3]!.id]: axis(1, 0.5),
      [samples[4]!.id]: axis(2),
      [samples[5]!.id]: axis(3),
    };
    const report = analyzeQuality({
      samples,
      skipped: [],
      embeddings: embeddingsOf(samples, (id) => samples.filter((s) => s.id !== id).map((s) => s.id), vectors),
    });
    const [near] = report.findings;
    expect(near).toMatchObject({
      kind: "NEAR_DUPLICATES",
      sampleIds: [samples[0]!.id, samples[1]!.id],
      details: { confirmedByEmbeddings: true, maxCosineDistance: 0.025 },
    });
    expect(near!.explanation).toContain("confirmed by stored embeddings: cosine distance at most 0.025");
  });

  it("finds near-duplicates among 5,000 hashes without comparing every pair", () => {
    const samples = cleanClass("many", 5000).map((s) => measured(s));
    // Three planted pairs at 1, 2 and 3 bits: without embeddings only the first two count.
    const plant = (index: number, source: number, bits: number) => {
      samples[index] = {
        ...samples[index]!,
        perceptualHash: flipBits(samples[source]!.perceptualHash, bits),
      };
    };
    plant(10, 9, 1);
    plant(2000, 1999, 2);
    plant(4000, 3999, 3);
    const report = analyzeQuality({ samples, skipped: [], embeddings: null });
    const near = report.findings.find((f) => f.kind === "NEAR_DUPLICATES")!;
    expect(near.details.groups).toEqual([
      [samples[9]!.id, samples[10]!.id],
      [samples[1999]!.id, samples[2000]!.id],
    ]);
    // Every pair would be 12,497,500 comparisons; 7 bands of 9 or 10 bits leave about
    // 7 × 12,497,500 / 2⁹ ≈ 170,000 on random hashes, and every planted pair is among them.
    const visited: Array<[number, number]> = [];
    const comparisons = forEachHashPair(samples, qualityThresholds.nearDuplicateMaxBits, (a, b) => {
      visited.push([a, b]);
    });
    expect(comparisons).toBeLessThan(250_000);
    expect(visited).toEqual(
      expect.arrayContaining([
        [9, 10],
        [1999, 2000],
        [3999, 4000],
      ]),
    );
  });
});
