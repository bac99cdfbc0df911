import sharp from "sharp";
import { describeDrift, testForDrift, type DriftSettings } from "../../gateway/src/feedback/drift/drift-test";
import {
  sampleMatrix,
  shuffledIndices,
  type SampleMatrix,
} from "../../gateway/src/feedback/drift/sample-matrix";
import { seededRandom } from "../../gateway/src/training/search/seeded-random";
import { FeatureEmbedder } from "../../inference/src/tasks/embedding/feature-embedder";
import { generateTextureDataset } from "../../gateway/test/support/texture-dataset";
import { deferCleanup } from "../lib/cleanup";
import { secondsSince } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";

/** Streams per condition: each seed draws its own reference set, unshifted and shifted stream. */
const SEEDS = 20;
/** The drift trigger's default window: predictions per stream, reference samples per seed. */
const WINDOW = 200;
const CLASSES = 4;
/** Embed calls of this many images, as the tier's Embed takes them. */
const EMBED_BATCH = 32;

/**
 * What the shifted stream's camera does differently: colours turned 12° round the hue circle and
 * 10 % less saturated, and a Gaussian blur of σ = 0.8 px (a softer lens, a dirtier window). Small
 * enough that the MMD² stays within a few times its minimum effect.
 */
const SHIFT = { hueDegrees: 12, saturation: 0.9, blurSigma: 0.8 };

/** The settings a policy would use: p < 0.01 and a minimum effect per method. */
const methods: ReadonlyArray<{ id: string; label: string; settings: Omit<DriftSettings, "seed"> }> = [
  { id: "mmd", label: "MMD", settings: { method: "MMD", pValue: 0.01, minEffect: 0.01 } },
  {
    id: "classifier",
    label: "domain classifier",
    settings: { method: "DOMAIN_CLASSIFIER", pValue: 0.01, minEffect: 0.05 },
  },
];

interface SeedOutcome {
  seed: number;
  shifted: boolean[];
  unshifted: boolean[];
  examples: string[];
}

/**
 * Drift detection on FEATURE embeddings from the tier's own embedder (in process): per seed, a
 * reference set of WINDOW generated texture images (the training version), an unshifted stream
 * of WINDOW new draws of the same generator (the false-alarm case) and a shifted stream (the same
 * generator through SHIFT). Each method tests each stream once with the product's thresholds.
 */
export async function measureDrift(): Promise<Ratio[]> {
  const embedder = new FeatureEmbedder();
  const closeEmbedder = deferCleanup(() => embedder.close());
  const outcomes: SeedOutcome[] = [];
  let generateSeconds = 0;
  let embedSeconds = 0;
  let testSeconds = 0;
  try {
    await embedder.warmUp();
    for (let seed = 0; seed < SEEDS; seed++) {
      const generateStart = process.hrtime.bigint();
      const [reference, unshifted, shiftedImages] = await Promise.all([
        textureImages(1000 + seed),
        streamImages(2000 + seed),
        streamImages(3000 + seed).then((images) => Promise.all(images.map(shifted))),
      ]);
      generateSeconds += secondsSince(generateStart);
      const embedStart = process.hrtime.bigint();
      const [referenceVectors, unshiftedVectors, shiftedVectors] = [
        await embedAll(embedder, reference),
        await embedAll(embedder, unshifted),
        await embedAll(embedder, shiftedImages),
      ];
      embedSeconds += secondsSince(embedStart);
      const testStart = process.hrtime.bigint();
      const outcome: SeedOutcome = { seed, shifted: [], unshifted: [], examples: [] };
      for (const { settings } of methods) {
        const withSeed = { ...settings, seed };
        const onShifted = testForDrift(shiftedVectors, referenceVectors, withSeed);
        const onUnshifted = testForDrift(unshiftedVectors, referenceVectors, withSeed);
        outcome.shifted.push(onShifted.drifted);
        outcome.unshifted.push(onUnshifted.drifted);
        outcome.examples.push(describeDrift(onShifted, withSeed), describeDrift(onUnshifted, withSeed));
      }
      testSeconds += secondsSince(testStart);
      outcomes.push(outcome);
      if (seed === 0) for (const line of outcome.examples) console.log(`  seed 0: ${line}`);
    }
  } finally {
    await closeEmbedder();
  }
  console.log(
    `\n${SEEDS} seeds × 3 × ${WINDOW} images (${CLASSES} texture classes): generating ${generateSeconds.toFixed(1)} s, ` +
      `embedding ${embedSeconds.toFixed(1)} s, ` +
      `tests ${testSeconds.toFixed(1)} s; shift: hue +${SHIFT.hueDegrees}°, saturation ×${SHIFT.saturation}, blur σ ${SHIFT.blurSigma} px`,
  );
  const rates = methods.map((method, index) => ({
    ...method,
    detection: outcomes.filter((o) => o.shifted[index]).length / outcomes.length,
    falseAlarms: outcomes.filter((o) => o.unshifted[index]).length / outcomes.length,
  }));
  printTable(
    `feedback.drift: ${WINDOW} predictions vs ${WINDOW} training samples, p < 0.01 and the minimum effect`,
    ["method", "min effect", "shifted streams flagged", "unshifted streams flagged"],
    rates.map((rate) => [
      rate.label,
      String(rate.settings.minEffect),
      `${formatNumber(rate.detection)} (aim ≥ 0.95)`,
      `${formatNumber(rate.falseAlarms)} (aim ≤ 0.05)`,
    ]),
  );
  return rates.flatMap((rate): Ratio[] => [
    {
      name: `feedback.drift.detection-${rate.id}`,
      subject: { label: "shifted streams flagged", value: rate.detection, unit: `share of ${SEEDS}` },
      baseline: { label: "every shifted stream", value: 1, unit: `share of ${SEEDS}` },
      aim: 0.95,
    },
    {
      name: `feedback.drift.false-alarms-${rate.id}`,
      subject: {
        label: "unshifted streams left alone",
        value: 1 - rate.falseAlarms,
        unit: `share of ${SEEDS}`,
      },
      baseline: { label: "every unshifted stream", value: 1, unit: `share of ${SEEDS}` },
      aim: 0.95,
      note: `false-alarm rate ${formatNumber(rate.falseAlarms)}, aim ≤ 0.05`,
    },
  ]);
}

/** The reference: a training version with WINDOW / CLASSES images of each class. */
async function textureImages(seed: number, perClass = WINDOW / CLASSES): Promise<Buffer[]> {
  const generated = await generateTextureDataset({
    classes: CLASSES,
    imagesPerClass: perClass,
    seed,
    minSide: 48,
    maxSide: 96,
  });
  return generated.files.map((file) => file.bytes);
}

/**
 * A stream of predictions: WINDOW images whose classes come at random (each equally likely), not
 * in the reference's exact proportions, as requests do; drawn from twice as many generated.
 */
async function streamImages(seed: number): Promise<Buffer[]> {
  const pool = await textureImages(seed, (2 * WINDOW) / CLASSES);
  const order = shuffledIndices(pool.length, seededRandom(seed));
  return Array.from(order.subarray(0, WINDOW), (index) => pool[index]!);
}

function shifted(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes)
    .modulate({ hue: SHIFT.hueDegrees, saturation: SHIFT.saturation })
    .blur(SHIFT.blurSigma)
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function embedAll(embedder: FeatureEmbedder, images: Buffer[]): Promise<SampleMatrix> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < images.length; start += EMBED_BATCH) {
    vectors.push(...(await embedder.embed(images.slice(start, start + EMBED_BATCH))));
  }
  return sampleMatrix(vectors);
}
