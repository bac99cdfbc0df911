/**
 * The optimiser's fixed choices and its coarse-to-fine schedule. The resolution doubles from a
 * quarter of the final one (never below 16 points per axis); the coarse stages are cheap (fewer
 * voxels, longer steps), so they get a smaller share of the steps.
 */
export const hyperparameters = {
  /** Adam's learning rates for raw density and raw colour, decayed ×`learningRateDecay` over the run. */
  learningRateDensity: 0.1,
  learningRateColour: 0.1,
  learningRateDecay: 0.1,
  beta1: 0.9,
  beta2: 0.99,
  /** Tiny: density gradients of a nearly transparent fresh grid are ~1e-8 and must still move it. */
  epsilon: 1e-15,
  /** Total-variation weights (squared differences to the 6 neighbours) for raw density and colour. */
  totalVariationDensity: 1e-7,
  totalVariationColour: 1e-8,
  /** Weight of the rays' opacity entropy (see ray-march.ts). */
  opacityEntropy: 0.1,
  /**
   * The iso-level of the exported alpha field. A trained surface ramps from clear to its inside's
   * alpha over about a voxel; the true surface sits low on that ramp (measured on the synthetic
   * scene: 0.1 gives the smallest Chamfer distance at 64³).
   */
  surfaceAlpha: 0.1,
  /** Alpha of a fresh voxel for a step of one final voxel. */
  initialAlpha: 1e-4,
  /** Cells whose corners all have a lower per-voxel alpha are skipped (refreshed every `occupancyEvery` steps). */
  occupancyAlpha: 1e-4,
  occupancyEvery: 100,
  /** A ray stops once this little light gets through. */
  stopTransmittance: 1e-4,
} as const;

export interface Stage {
  resolution: number;
  /** Steps done before the stage starts. */
  firstStep: number;
  steps: number;
}

const STAGE_SHARES: Record<number, number[]> = { 1: [1], 2: [0.3, 0.7], 3: [0.15, 0.25, 0.6] };

export function stagesOf(gridResolution: number, totalSteps: number): Stage[] {
  const resolutions = [gridResolution];
  while (resolutions.length < 3 && Math.round(resolutions[0]! / 2) >= 16) {
    resolutions.unshift(Math.round(resolutions[0]! / 2));
  }
  const shares = STAGE_SHARES[resolutions.length]!;
  const stages: Stage[] = [];
  let firstStep = 0;
  resolutions.forEach((resolution, index) => {
    const last = index === resolutions.length - 1;
    const steps = last ? totalSteps - firstStep : Math.floor(totalSteps * shares[index]!);
    if (steps > 0) stages.push({ resolution, firstStep, steps });
    firstStep += steps;
  });
  return stages;
}

/** The stage that step `done + 1` belongs to. */
export function stageAt(stages: Stage[], done: number): number {
  for (let index = stages.length - 1; index >= 0; index--) if (done >= stages[index]!.firstStep) return index;
  return 0;
}

/** Sample spacing in final voxels: `samplesPerRay` along an axis of the final grid, longer at coarse stages. */
export function stepInFinalVoxels(
  gridResolution: number,
  samplesPerRay: number,
  stageResolution: number,
): number {
  return ((gridResolution - 1) / samplesPerRay) * ((gridResolution - 1) / (stageResolution - 1));
}
