import {
  argmax,
  correctCount,
  defaultAdjustmentOptions,
  fitAdjustment,
} from "../../gateway/src/feedback/adjustments/fit-adjustment";
import {
  applyVectorScaling,
  type LabelledScores,
  type VectorScalingParameters,
} from "../../gateway/src/feedback/adjustments/vector-scaling";
import {
  CONFUSION_SHIFT,
  SIMULATED_CLASSES as CLASSES,
  simulateClassifier as simulate,
} from "../../gateway/test/feedback/predictions/adjustments/simulated-classifier";
import { formatNumber, printTable, type Ratio } from "../lib/report";

const CONFUSED = 3;
const CONFUSED_AS = 5;
const FEEDBACK_ROWS = 1_000;
const TEST_ROWS = 20_000;
const SEEDS = Array.from({ length: 10 }, (_, index) => index + 1);

/** Share of true 3s whose top class is 5, raw or adjusted. */
function confusionRate(data: LabelledScores, parameters: VectorScalingParameters | null): number {
  let threes = 0;
  let asFive = 0;
  data.targets.forEach((target, row) => {
    if (target !== CONFUSED) return;
    const scores = data.probabilities.subarray(row * CLASSES, (row + 1) * CLASSES);
    threes++;
    if (argmax(parameters ? applyVectorScaling(parameters, scores) : scores) === CONFUSED_AS) asFive++;
  });
  return asFive / threes;
}

interface Outcome {
  before: number;
  after: number;
  activeSeeds: number;
  confusionBefore: number;
  confusionAfter: number;
  crossValidated: { before: number; after: number };
}

/**
 * Fits on FEEDBACK_ROWS corrected predictions (a random sample of the log, every one labelled),
 * then scores a separate test set: raw, and adjusted only where the fit decided to be active —
 * exactly what the gateway would return beside the raw scores.
 */
function measureModel(shift: number): Outcome {
  let before = 0;
  let after = 0;
  let activeSeeds = 0;
  let confusionBefore = 0;
  let confusionAfter = 0;
  const crossValidated = { before: 0, after: 0 };
  for (const seed of SEEDS) {
    const feedback = simulate(FEEDBACK_ROWS, shift, seed);
    const test = simulate(TEST_ROWS, shift, seed + 1_000);
    const fitted = fitAdjustment(feedback, { ...defaultAdjustmentOptions, seed });
    const applied = fitted.active ? fitted.parameters : null;
    before += correctCount(test, null) / TEST_ROWS / SEEDS.length;
    after += correctCount(test, applied) / TEST_ROWS / SEEDS.length;
    activeSeeds += fitted.active ? 1 : 0;
    confusionBefore += confusionRate(test, null) / SEEDS.length;
    confusionAfter += confusionRate(test, applied) / SEEDS.length;
    crossValidated.before += fitted.accuracyBefore / SEEDS.length;
    crossValidated.after += fitted.accuracyAfter / SEEDS.length;
  }
  return { before, after, activeSeeds, confusionBefore, confusionAfter, crossValidated };
}

const percent = (value: number) => `${formatNumber(100 * value)} %`;

/**
 * Learned adjustments on a simulated 10-class model: held-out accuracy before and after, on a
 * model that takes 3 for 5 about 30 % of the time (aim: better) and on one without a systematic
 * confusion (aim: never worse — the adjustment stays inactive or helps).
 */
export async function measureAdjustments(): Promise<Ratio[]> {
  const confused = measureModel(CONFUSION_SHIFT);
  const clean = measureModel(0);
  printTable(
    `adjustments: vector scaling fitted on ${FEEDBACK_ROWS} labelled feedback rows, tested on ${TEST_ROWS} other predictions (mean of ${SEEDS.length} seeds)`,
    ["model", "3 → 5 before", "after", "active", "CV before", "CV after", "test before", "test after"],
    [confused, clean].map((outcome, index) => [
      index === 0 ? "systematic confusion" : "no confusion",
      percent(outcome.confusionBefore),
      percent(outcome.confusionAfter),
      `${outcome.activeSeeds}/${SEEDS.length}`,
      percent(outcome.crossValidated.before),
      percent(outcome.crossValidated.after),
      percent(outcome.before),
      percent(outcome.after),
    ]),
  );
  const ratio = (name: string, outcome: Outcome, aim: number, note: string): Ratio => ({
    name: `feedback.adjustments.${name}`,
    subject: { label: "accuracy after", value: 100 * outcome.after, unit: "%" },
    baseline: { label: "before", value: 100 * outcome.before, unit: "%" },
    aim,
    note,
  });
  return [
    ratio("confused", confused, 1.005, `active on ${confused.activeSeeds}/${SEEDS.length} seeds`),
    ratio("clean", clean, 1, `active on ${clean.activeSeeds}/${SEEDS.length} seeds`),
  ];
}
