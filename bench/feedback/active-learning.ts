import { seededRandom } from "@tessera/seeded-random";
import {
  selectBatch,
  type LabelingDiversity,
} from "../../gateway/src/feedback/labeling/selection/select-batch";
import type { LabelingStrategy } from "../../gateway/src/feedback/labeling/selection/uncertainty";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import {
  gaussianMixture,
  type ActiveLearningData,
  type LabelledSet,
  type MixtureShape,
} from "./active-learning-data";
import { accuracy, fitSoftmaxRegression, probabilityMatrix } from "./active-learning-learner";

const SHAPE: MixtureShape = {
  classes: 10,
  dimension: 16,
  modesPerClass: 3,
  poolSize: 3000,
  testPerClass: 150,
  classDecay: 0.8,
  modeDecay: 0.3,
  classSpread: 1,
  modeSpread: 0.7,
  noise: 1,
};
const SEEDS = [1, 2, 3, 4, 5];
/** b labels per round, k rounds, after b random starting labels. */
const BATCH = 20;
const ROUNDS = 30;
const EPOCHS = 40;
const TARGET = 0.95;

interface Method {
  name: string;
  strategy: LabelingStrategy;
  diversity: LabelingDiversity;
}
const OURS: Method = { name: "ENTROPY + KCENTER", strategy: "ENTROPY", diversity: "KCENTER" };
const RANDOM: Method = { name: "RANDOM", strategy: "RANDOM", diversity: "NONE" };
/** Each half alone, for the table: which part buys what. */
const METHODS: Method[] = [
  OURS,
  RANDOM,
  { name: "ENTROPY alone", strategy: "ENTROPY", diversity: "NONE" },
  { name: "KCENTER alone", strategy: "RANDOM", diversity: "KCENTER" },
];

/**
 * Active learning on a generated pool (gaussianMixture) with the product's selection code
 * (selectBatch) and learner (the tier's head trainer as softmax regression): from the same BATCH
 * random labels, ROUNDS rounds of BATCH more, picked by each method, each round followed by a
 * refit and the accuracy on the held-out test set. Every method sees the same data, starting
 * labels and seeds. Reported: the mean accuracy curves over SEEDS, and the labels each needs to
 * reach 95 % of the accuracy of a fit on the whole labelled pool (on the mean curve, linearly
 * interpolated between rounds); the ratio is RANDOM's over ENTROPY + KCENTER's.
 */
export async function measureActiveLearning(): Promise<Ratio[]> {
  const started = performance.now();
  const curves = new Map<string, number[][]>(METHODS.map((method) => [method.name, []]));
  const fullAccuracies: number[] = [];
  for (const seed of SEEDS) {
    const data = gaussianMixture(SHAPE, seed);
    const whole = await fitSoftmaxRegression(data.pool, data.classes, seed, EPOCHS);
    fullAccuracies.push(accuracy(whole, data.test));
    const start = initialLabels(data.pool.labels.length, seed);
    for (const method of METHODS) curves.get(method.name)!.push(await runRounds(data, method, start, seed));
  }
  const full = mean(fullAccuracies);
  const target = TARGET * full;
  const meanCurves = new Map(
    [...curves].map(([name, runs]) => [name, runs[0]!.map((_, r) => mean(runs.map((run) => run[r]!)))]),
  );
  const shown = Array.from({ length: ROUNDS + 1 }, (_, r) => r).filter((r) => r % 3 === 0 || r === ROUNDS);
  printTable(
    `Active learning: mean test accuracy over ${SEEDS.length} seeds; ${SHAPE.poolSize}-item pool of ` +
      `${SHAPE.classes} classes × ${SHAPE.modesPerClass} modes (${SHAPE.dimension}-d, imbalanced), balanced test set of ` +
      `${SHAPE.classes * SHAPE.testPerClass}; softmax regression; whole pool labelled: ${percent(full)}`,
    ["labels", ...meanCurves.keys()],
    shown.map((r) => [String(labelsAt(r)), ...[...meanCurves.values()].map((curve) => percent(curve[r]!))]),
  );
  const needed = new Map([...meanCurves].map(([name, curve]) => [name, labelsToReach(curve, target)]));
  printTable(
    `Labels needed to reach 95 % of the whole-pool accuracy (${percent(target)}); ` +
      `${formatNumber((performance.now() - started) / 1000)} s`,
    ["method", "labels"],
    [...needed].map(([name, labels]) => [name, formatNumber(labels)]),
  );
  return [
    {
      name: "feedback.active-learning",
      subject: { label: "RANDOM needs", value: needed.get(RANDOM.name)!, unit: "labels" },
      baseline: { label: "ENTROPY+KCENTER needs", value: needed.get(OURS.name)!, unit: "labels" },
      aim: 1.3,
      note: `to reach 95 % of whole-pool accuracy; ${BATCH} labels a round, mean of ${SEEDS.length} seeds`,
    },
  ];
}

async function runRounds(
  data: ActiveLearningData,
  method: Method,
  start: readonly number[],
  seed: number,
): Promise<number[]> {
  const labelled = new Set(start);
  const curve: number[] = [];
  for (let round = 0; ; round++) {
    const chosen = [...labelled];
    const head = await fitSoftmaxRegression(subset(data.pool, chosen), data.classes, seed, EPOCHS);
    curve.push(accuracy(head, data.test));
    if (round === ROUNDS) return curve;
    const open = data.pool.features.map((_, i) => i).filter((i) => !labelled.has(i));
    const openFeatures = open.map((i) => data.pool.features[i]!);
    const picks = selectBatch({
      probabilities: probabilityMatrix(head, openFeatures),
      classes: data.classes,
      strategy: method.strategy,
      diversity: method.diversity,
      size: BATCH,
      randomShare: 0,
      seed: seed * 1000 + round,
      embeddings: flatten(openFeatures, data.dimension),
      labelled: flatten(
        chosen.map((i) => data.pool.features[i]!),
        data.dimension,
      ),
    });
    for (const pick of picks) labelled.add(open[pick.index]!);
  }
}

/** The first BATCH labels: the same random draw for every method. */
function initialLabels(poolSize: number, seed: number): number[] {
  const random = seededRandom(seed * 7919);
  const chosen = new Set<number>();
  while (chosen.size < BATCH) chosen.add(Math.floor(random() * poolSize));
  return [...chosen];
}

const labelsAt = (round: number) => BATCH * (round + 1);

/** Labels where the curve first reaches `target`, interpolated between rounds; Infinity if it never does. */
function labelsToReach(curve: number[], target: number): number {
  for (let r = 0; r < curve.length; r++) {
    if (curve[r]! < target) continue;
    if (r === 0) return labelsAt(0);
    const fraction = (target - curve[r - 1]!) / (curve[r]! - curve[r - 1]!);
    return labelsAt(r - 1) + fraction * BATCH;
  }
  return Number.POSITIVE_INFINITY;
}

function subset(set: LabelledSet, indices: readonly number[]): LabelledSet {
  return {
    features: indices.map((i) => set.features[i]!),
    labels: Uint32Array.from(indices, (i) => set.labels[i]!),
  };
}

function flatten(vectors: readonly Float32Array[], dimension: number) {
  const values = new Float64Array(vectors.length * dimension);
  vectors.forEach((vector, i) => values.set(vector, i * dimension));
  return { values, dimension };
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
