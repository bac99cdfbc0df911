import type { RadianceFieldSettings__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/RadianceFieldSettings";
import type { ReconstructStart__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructStart";
import {
  estimateRadianceFieldBytes,
  radianceFieldSettingBounds as bounds,
  reconstructionDefaults,
  type RadianceFieldSettingName,
} from "@tessera/proto/reconstruction-settings";
import { invalidArgument, resourceExhausted } from "../../runtime/errors";
import type { RadianceFieldOptions, Vec3 } from "../contracts";
import { checkCamera } from "./check-camera";
import { checkBounds, checkOutputSettings } from "./check-common";
import { reconstructionLimits as limits } from "./reconstruction-limits";
import type { PlannedFrame, RadianceFieldPlan } from "./reconstruction-plan";

/** The tier's side of a radiance-field run: its default thread count and its memory limit. */
export interface RadianceFieldLimits {
  defaultThreads: number;
  maxThreads: number;
  /** TESSERA_RECONSTRUCTION_MAX_BYTES. */
  maxBytes: number;
}

/** White, as the scenes default to. */
const defaultBackground: Vec3 = [1, 1, 1];

export function checkRadianceFieldStart(
  start: ReconstructStart__Output,
  tier: RadianceFieldLimits,
): RadianceFieldPlan {
  const settings = start.settings;
  const options = checkOptions(settings, start.threads, tier);
  const frames = checkFrames(start);
  const { boundsMin, boundsMax } = checkBounds(start);
  const plan: Omit<RadianceFieldPlan, "estimatedBytes"> = {
    method: "RADIANCE_FIELD",
    frames,
    boundsMin,
    boundsMax,
    options,
    previewEvery: every(settings, "preview_every", reconstructionDefaults.previewEvery),
    checkpointEvery: every(settings, "checkpoint_every", reconstructionDefaults.checkpointEvery),
    output: checkOutputSettings(start),
    checkpointBytes: start.checkpoint_bytes,
  };
  const estimatedBytes = checkMemory(plan, tier);
  if (plan.checkpointBytes > tier.maxBytes) {
    throw invalidArgument(
      `checkpoint_bytes is ${plan.checkpointBytes}; no checkpoint of a run within this tier's limit is over ${tier.maxBytes}`,
    );
  }
  return { ...plan, estimatedBytes };
}

/**
 * The optimiser's options. A setting left at 0 whose minimum is above 0 takes its default, so a
 * client sets only what it means to change (proto3 cannot tell 0 from unset).
 */
function checkOptions(
  settings: RadianceFieldSettings__Output | null,
  threads: number,
  tier: RadianceFieldLimits,
): RadianceFieldOptions {
  const setting = (name: RadianceFieldSettingName, field: keyof RadianceFieldSettings__Output) => {
    const bound = bounds[name];
    const value = settings ? (settings[field] as number) : 0;
    if (value === 0 && bound.min > 0) return bound.default;
    if (!Number.isInteger(value) || value < bound.min || value > bound.max) {
      throw invalidArgument(`settings.${field} must be between ${bound.min} and ${bound.max}, got ${value}`);
    }
    return value;
  };
  if (threads > tier.maxThreads) {
    throw invalidArgument(`threads must be between 0 and ${tier.maxThreads}, got ${threads}`);
  }
  return {
    gridResolution: setting("gridResolution", "grid_resolution"),
    steps: setting("steps", "steps"),
    raysPerBatch: setting("raysPerBatch", "rays_per_batch"),
    samplesPerRay: setting("samplesPerRay", "samples_per_ray"),
    background: checkBackground(settings?.background ?? []),
    seed: setting("seed", "seed"),
    viewDependent: settings?.view_dependent ?? false,
    threads: threads || tier.defaultThreads,
  };
}

function checkBackground(background: number[]): Vec3 {
  if (background.length === 0) return defaultBackground;
  if (background.length !== 3 || !background.every((value) => value >= 0 && value <= 1)) {
    throw invalidArgument(
      `settings.background must be 3 numbers between 0 and 1 (linear RGB), got [${background.join(", ")}]`,
    );
  }
  return [background[0]!, background[1]!, background[2]!];
}

function every(
  settings: RadianceFieldSettings__Output | null,
  field: "preview_every" | "checkpoint_every",
  fallback: number,
): number {
  if (!settings) return fallback;
  const value = settings[field];
  if (value > limits.everySteps) {
    throw invalidArgument(`settings.${field} must be between 0 and ${limits.everySteps}, got ${value}`);
  }
  return value;
}

function checkFrames(start: ReconstructStart__Output): PlannedFrame[] {
  if (start.frames.length > limits.frames) {
    throw invalidArgument(`A scene may list at most ${limits.frames} frames, got ${start.frames.length}`);
  }
  const seen = new Set<number>();
  const frames = start.frames.map((frame, position): PlannedFrame => {
    if (seen.has(frame.index))
      throw invalidArgument(`frames[${position}].index ${frame.index} appears more than once`);
    seen.add(frame.index);
    return {
      index: frame.index,
      role: frame.role === "HELD_OUT" ? "HELD_OUT" : "TRAIN",
      camera: checkCamera(frame.camera, `frames[${position}].camera`),
    };
  });
  const training = frames.filter((frame) => frame.role === "TRAIN").length;
  if (training < limits.minTrainingFrames) {
    throw invalidArgument(
      `A radiance field needs at least ${limits.minTrainingFrames} TRAIN frames, got ${training}`,
    );
  }
  return frames;
}

/** The run's estimated bytes, or RESOURCE_EXHAUSTED when they are over the tier's limit on their own. */
function checkMemory(plan: Omit<RadianceFieldPlan, "estimatedBytes">, tier: RadianceFieldLimits): number {
  const bytes = estimateRadianceFieldBytes({
    gridResolution: plan.options.gridResolution,
    viewDependent: plan.options.viewDependent,
    threads: plan.options.threads,
    frames: plan.frames.length,
    // Frames may differ in size: the largest bounds them all.
    width: Math.max(...plan.frames.map((frame) => frame.camera.width)),
    height: Math.max(...plan.frames.map((frame) => frame.camera.height)),
  });
  if (bytes <= tier.maxBytes) return bytes;
  throw resourceExhausted(
    `The run would take about ${mebibytes(bytes)} MiB (grid ${plan.options.gridResolution}³, ` +
      `${plan.options.threads} threads, ${plan.frames.length} frames); this tier allows ${mebibytes(tier.maxBytes)} MiB ` +
      "(TESSERA_RECONSTRUCTION_MAX_BYTES). Lower grid_resolution, threads or the frames' size.",
  );
}

const mebibytes = (bytes: number) => Math.ceil(bytes / 1024 ** 2);
