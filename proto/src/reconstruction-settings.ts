/**
 * Radiance-field settings shared by the gateway (which validates a request and refuses it before
 * anything is queued) and the tier (which checks again and allocates): defaults, bounds and the
 * memory estimate. One table, so the two sides can never disagree.
 */

export interface SettingBound {
  min: number;
  max: number;
  default: number;
  description: string;
}

export const radianceFieldSettingBounds = {
  gridResolution: {
    min: 16,
    max: 256,
    default: 128,
    description: "Final voxels per axis (coarse-to-fine stages double up to it)",
  },
  steps: { min: 1, max: 100_000, default: 6_000, description: "Optimisation steps" },
  raysPerBatch: { min: 64, max: 65_536, default: 4_096, description: "Rays per step, drawn across training frames" },
  samplesPerRay: {
    min: 16,
    max: 1_024,
    default: 256,
    description: "Samples along a ray crossing the bounds at the final resolution",
  },
  seed: { min: 0, max: 2 ** 31 - 1, default: 0, description: "Seed of every random choice" },
} as const satisfies Record<string, SettingBound>;

export type RadianceFieldSettingName = keyof typeof radianceFieldSettingBounds;

/** Frames of the default turntable, previews and checkpoints every so many steps. */
export const reconstructionDefaults = {
  turntableFrames: 24,
  previewEvery: 250,
  checkpointEvery: 1_000,
  targetTriangles: 200_000,
} as const;

export interface MemoryEstimateInput {
  gridResolution: number;
  viewDependent: boolean;
  threads: number;
  frames: number;
  width: number;
  height: number;
}

/**
 * Bytes the tier allocates for a radiance-field run at its peak: the grids (density + colour),
 * Adam's two moments for each, one gradient buffer per worker thread, the occupancy grid and the
 * frames' pixels. An upper bound: a run never allocates more than this.
 */
export function estimateRadianceFieldBytes(input: MemoryEstimateInput): number {
  const voxels = input.gridResolution ** 3;
  const channels = 1 + (input.viewDependent ? 12 : 3);
  const parameters = voxels * channels * 4;
  const optimiser = 2 * parameters;
  const gradients = input.threads * parameters;
  const occupancy = voxels;
  const pixels = input.frames * input.width * input.height * 3 * (1 + 4);
  return parameters + optimiser + gradients + occupancy + pixels;
}
