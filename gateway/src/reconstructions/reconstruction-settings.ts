import {
  estimateRadianceFieldBytes,
  radianceFieldSettingBounds,
  reconstructionDefaults,
  type RadianceFieldSettingName,
} from "@tessera/proto/reconstruction-settings";
import { badInput } from "../errors";
import { checkRange } from "../limits";

/**
 * Bounds of the settings that only the gateway hands out (the radiance field's own are shared
 * with the tier in @tessera/proto/reconstruction-settings). Each is documented in the SDL.
 */
export const extraSettingBounds = {
  turntableFrames: { min: 0, max: 120, default: reconstructionDefaults.turntableFrames },
  targetTriangles: { min: 0, max: 2_000_000, default: reconstructionDefaults.targetTriangles },
  fieldOfViewDegrees: { min: 10, max: 150, default: 60 },
  meshCells: { min: 16, max: 1_024, default: 256 },
} as const;

/** Previews and checkpoints at least this many times a run, whatever its length. */
const PREVIEWS_PER_RUN = 4;
const CHECKPOINTS_PER_RUN = 2;

/** What a client may set; every field optional. */
export interface ReconstructionSettingsRequest {
  gridResolution?: number | null;
  steps?: number | null;
  raysPerBatch?: number | null;
  samplesPerRay?: number | null;
  background?: string | null;
  seed?: number | null;
  viewDependent?: boolean | null;
  turntableFrames?: number | null;
  targetTriangles?: number | null;
  fieldOfViewDegrees?: number | null;
  meshCells?: number | null;
}

/** The settings as stored on the Reconstruction (defaults filled in), so a resumed run uses the same. */
export interface ResolvedReconstructionSettings {
  gridResolution: number;
  steps: number;
  raysPerBatch: number;
  samplesPerRay: number;
  /** "#rrggbb" */
  background: string;
  seed: number;
  viewDependent: boolean;
  turntableFrames: number;
  targetTriangles: number;
  fieldOfViewDegrees: number;
  meshCells: number;
  previewEvery: number;
  checkpointEvery: number;
  /** Worker threads on the tier: with the seed, what makes a run reproducible. */
  threads: number;
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/**
 * Fills in defaults and refuses a setting outside its bounds (BAD_USER_INPUT naming the field).
 * `background` defaults to the scene's (what its RGBA photos were composited on).
 */
export function resolveSettings(
  input: ReconstructionSettingsRequest | null | undefined,
  defaults: { background: string; threads: number },
): ResolvedReconstructionSettings {
  const given = input ?? {};
  const field = (name: RadianceFieldSettingName) => {
    const bound = radianceFieldSettingBounds[name];
    const value = given[name] ?? bound.default;
    return checkRange(`settings.${name}`, value, bound.min, bound.max);
  };
  const extra = (name: keyof typeof extraSettingBounds) => {
    const bound = extraSettingBounds[name];
    return checkRange(`settings.${name}`, given[name] ?? bound.default, bound.min, bound.max);
  };
  const background = given.background ?? defaults.background;
  if (!HEX_COLOUR.test(background)) {
    throw badInput(`settings.background must be a colour "#rrggbb", got "${background}"`, {
      field: "settings.background",
    });
  }
  const steps = field("steps");
  return {
    gridResolution: field("gridResolution"),
    steps,
    raysPerBatch: field("raysPerBatch"),
    samplesPerRay: field("samplesPerRay"),
    background: background.toLowerCase(),
    seed: field("seed"),
    viewDependent: given.viewDependent ?? false,
    turntableFrames: extra("turntableFrames"),
    targetTriangles: extra("targetTriangles"),
    fieldOfViewDegrees: extra("fieldOfViewDegrees"),
    meshCells: extra("meshCells"),
    // A short run still shows the scene sharpening and can resume.
    previewEvery: Math.min(reconstructionDefaults.previewEvery, Math.ceil(steps / PREVIEWS_PER_RUN)),
    checkpointEvery: Math.min(reconstructionDefaults.checkpointEvery, Math.ceil(steps / CHECKPOINTS_PER_RUN)),
    threads: defaults.threads,
  };
}

/**
 * Refuses a radiance-field run whose peak allocation on the tier (the shared estimate) is over
 * TESSERA_RECONSTRUCTION_MAX_BYTES, saying what to lower.
 */
export function checkMemory(
  settings: ResolvedReconstructionSettings,
  scene: { frames: number; width: number; height: number },
  maxBytes: number,
): number {
  const bytes = estimateRadianceFieldBytes({
    gridResolution: settings.gridResolution,
    viewDependent: settings.viewDependent,
    threads: settings.threads,
    frames: scene.frames,
    width: scene.width,
    height: scene.height,
  });
  if (bytes > maxBytes) {
    throw badInput(
      `This reconstruction would need about ${formatBytes(bytes)} on the tier, over the server's limit of ` +
        `${formatBytes(maxBytes)} (TESSERA_RECONSTRUCTION_MAX_BYTES); lower settings.gridResolution` +
        (settings.viewDependent ? " or turn settings.viewDependent off" : ""),
      { field: "settings.gridResolution", estimatedBytes: bytes, maxBytes },
    );
  }
  return bytes;
}

function formatBytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** "#rrggbb" as the 0…1 RGB the tier composites behind the field (the photos' own pixel scale). */
export function backgroundRgb(hex: string): number[] {
  return [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
}
