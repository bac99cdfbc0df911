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
  raysPerBatch: {
    min: 64,
    max: 65_536,
    default: 4_096,
    description: "Rays per step, drawn across training frames",
  },
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
 * Bytes the tier allocates for a radiance-field run at its peak, an upper bound (it adds up phases
 * that never overlap): at the final resolution the grids (density + 3 colour or 12 SH values per
 * point), Adam's two moments, one gradient buffer per worker thread, the occupancy and touched
 * masks; the coarser stage's state while it is upsampled (an eighth of each); the larger of a
 * checkpoint's bytes and the exported alpha field (alpha + RGB floats per point); the frames' pixels
 * twice (the caller's copy and the threads' shared one) and one render's float buffers; 1 MiB per
 * thread for its ray scratch and 1 MiB for the ray batch (both far smaller within the bounds).
 */
export function estimateRadianceFieldBytes(input: MemoryEstimateInput): number {
  const voxels = input.gridResolution ** 3;
  const channels = 1 + (input.viewDependent ? 12 : 3);
  const parameters = voxels * channels * 4;
  const optimiser = 2 * parameters;
  const gradients = input.threads * parameters;
  const masks = 2 * voxels;
  const previousStage = ((3 + input.threads) * parameters + masks) / 8;
  const exports = Math.max(3 * parameters + voxels, 16 * voxels);
  const pixels = input.frames * input.width * input.height * 3 * 2 + input.width * input.height * 40;
  const scratch = (input.threads + 1) * 2 ** 20;
  return Math.ceil(parameters + optimiser + gradients + masks + previousStage + exports + pixels + scratch);
}
