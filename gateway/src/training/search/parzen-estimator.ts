import { standardNormal } from "./seeded-random";

/**
 * The densities TPE compares: l(x) fitted to the good trials and g(x) to the rest. Numeric
 * ranges are modelled on their unit scale (0…1, already logarithmic for logScale ranges);
 * lists by position.
 */
export interface ParzenEstimator {
  sample(random: () => number): number;
  logDensity(point: number): number;
}

/** erf by Abramowitz & Stegun 7.1.26 (error below 1.5e-7): ample for normalising masses. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const value = 1 - poly * Math.exp(-x * x);
  return x >= 0 ? value : -value;
}

const normalCdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
const logSqrtTwoPi = 0.5 * Math.log(2 * Math.PI);

function logSumExp(values: readonly number[]): number {
  const largest = Math.max(...values);
  if (largest === Number.NEGATIVE_INFINITY) return largest;
  return largest + Math.log(values.reduce((sum, value) => sum + Math.exp(value - largest), 0));
}

/** The uninformed component every mixture keeps: centred on the range, as wide as the range. */
const prior = { mean: 0.5, width: 1 };
const maxSampleAttempts = 100;

/**
 * A mixture of Gaussians truncated to 0…1: one per observation plus the prior, weighted
 * equally. Each observation's bandwidth is the larger gap to its neighbours (the range's ends
 * count as neighbours), clipped to [1 / min(100, components), 1] — crowded regions get narrow kernels,
 * lone points wide ones, and no kernel collapses onto a single point.
 */
export function numericParzen(observations: readonly number[]): ParzenEstimator {
  const points = [
    ...observations.map((mean) => ({ mean, isPrior: false })),
    { mean: prior.mean, isPrior: true },
  ].sort((a, b) => a.mean - b.mean);
  const narrowest = 1 / Math.min(100, points.length);
  const components = points.map(({ mean, isPrior }, index) => {
    if (isPrior) return prior;
    const gapBelow = mean - (points[index - 1]?.mean ?? 0);
    const gapAbove = (points[index + 1]?.mean ?? 1) - mean;
    return { mean, width: Math.min(1, Math.max(narrowest, gapBelow, gapAbove)) };
  });
  const logWeight = -Math.log(components.length);
  const logMasses = components.map(({ mean, width }) =>
    Math.log(normalCdf((1 - mean) / width) - normalCdf(-mean / width)),
  );

  return {
    sample(random) {
      const { mean, width } = components[Math.floor(random() * components.length)]!;
      for (let attempt = 0; attempt < maxSampleAttempts; attempt++) {
        const point = mean + width * standardNormal(random);
        if (point >= 0 && point <= 1) return point;
      }
      return mean;
    },
    logDensity(point) {
      return logSumExp(
        components.map(({ mean, width }, index) => {
          const z = (point - mean) / width;
          return logWeight - 0.5 * z * z - logSqrtTwoPi - Math.log(width) - logMasses[index]!;
        }),
      );
    },
  };
}

/** Frequencies of each list entry among the observations, plus one for every entry (smoothing). */
export function categoricalParzen(observations: readonly number[], optionCount: number): ParzenEstimator {
  const counts = Array.from({ length: optionCount }, () => 1);
  for (const position of observations) counts[position]! += 1;
  const total = counts.reduce((sum, count) => sum + count, 0);
  return {
    sample(random) {
      let remaining = random() * total;
      for (let position = 0; position < optionCount; position++) {
        remaining -= counts[position]!;
        if (remaining < 0) return position;
      }
      return optionCount - 1;
    },
    logDensity(position) {
      return Math.log(counts[position]! / total);
    },
  };
}
