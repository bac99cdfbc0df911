import { seededGaussian, seededRandom } from "@tessera/seeded-random";

/** Feature vectors with a class each: the pool a learner labels from, or a test set. */
export interface LabelledSet {
  features: Float32Array[];
  labels: Uint32Array;
}

export interface ActiveLearningData {
  classes: number;
  dimension: number;
  pool: LabelledSet;
  test: LabelledSet;
}

export interface MixtureShape {
  classes: number;
  dimension: number;
  /** Modes per class: a class is several sub-clusters, not one blob. */
  modesPerClass: number;
  poolSize: number;
  /** Test items per class (the test set is balanced: every class counts the same). */
  testPerClass: number;
  /** Each class is this much rarer in the pool than the one before (0.8: the 10th has 13 % of the 1st's share). */
  classDecay: number;
  /** Each mode of a class is this much rarer than the one before (0.3: 70 %, 21 %, 9 % of three). */
  modeDecay: number;
  /** Standard deviations per dimension: of class centres around 0, of modes around their class centre, of items around their mode. */
  classSpread: number;
  modeSpread: number;
  noise: number;
}

/**
 * A Gaussian mixture shaped like the pools active learning is for: classes are several sub-
 * clusters each, the pool is imbalanced (class shares fall geometrically) and inside a class one
 * mode is common and the others rare, the way a product photo set has one usual angle and a few
 * odd ones. Neighbouring classes overlap, so even the whole pool labelled does not reach 100 %,
 * and uncertainty is informative near the boundaries. The test set is balanced over classes
 * (modes as in the pool): a learner is judged on the rare classes as much as on the common ones,
 * which is what a random sample of a skewed pool under-covers. Same seed, same data.
 */
export function gaussianMixture(shape: MixtureShape, seed: number): ActiveLearningData {
  const gaussian = seededGaussian(seed);
  const uniform = seededRandom(seed ^ 0x5bd1e995);
  const { classes, dimension, modesPerClass } = shape;
  const classCentres = Array.from({ length: classes }, () =>
    Float64Array.from({ length: dimension }, () => gaussian() * shape.classSpread),
  );
  const modes = classCentres.map((centre) =>
    Array.from({ length: modesPerClass }, () =>
      Float64Array.from(centre, (value) => value + gaussian() * shape.modeSpread),
    ),
  );
  const classShares = geometricShares(classes, shape.classDecay);
  const modeShares = geometricShares(modesPerClass, shape.modeDecay);
  const draw = (shares: number[]) => {
    let target = uniform();
    for (let i = 0; i < shares.length; i++) if ((target -= shares[i]!) < 0) return i;
    return shares.length - 1;
  };
  const sample = (label: number): Float32Array => {
    const mode = modes[label]![draw(modeShares)]!;
    return Float32Array.from(mode, (value) => value + gaussian() * shape.noise);
  };
  const poolLabels = Uint32Array.from({ length: shape.poolSize }, () => draw(classShares));
  const testLabels = Uint32Array.from({ length: classes * shape.testPerClass }, (_, i) => i % classes);
  return {
    classes,
    dimension,
    pool: { features: Array.from(poolLabels, sample), labels: poolLabels },
    test: { features: Array.from(testLabels, sample), labels: testLabels },
  };
}

function geometricShares(count: number, decay: number): number[] {
  const weights = Array.from({ length: count }, (_, i) => decay ** i);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}
