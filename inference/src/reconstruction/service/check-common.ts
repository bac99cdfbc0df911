import type { ReconstructStart__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructStart";
import { reconstructionDefaults } from "@tessera/proto/reconstruction-settings";
import { invalidArgument } from "../../runtime/errors";
import type { Vec3 } from "../contracts";
import { reconstructionLimits as limits } from "./reconstruction-limits";
import type { OutputSettings } from "./reconstruction-plan";

/** The box to reconstruct in: three finite numbers each, max above min on every axis. */
export function checkBounds(start: Pick<ReconstructStart__Output, "bounds_min" | "bounds_max">): {
  boundsMin: Vec3;
  boundsMax: Vec3;
} {
  const { bounds_min: min, bounds_max: max } = start;
  if (min.length !== 3 || max.length !== 3) {
    throw invalidArgument(
      `bounds_min and bounds_max must be 3 numbers each (x y z), got ${min.length} and ${max.length}`,
    );
  }
  if (![...min, ...max].every(Number.isFinite))
    throw invalidArgument("bounds_min and bounds_max must be finite");
  ["x", "y", "z"].forEach((axis, index) => {
    if (!(max[index]! > min[index]!)) {
      throw invalidArgument(
        `The bounds are empty along ${axis}: bounds_max ${max[index]} must be above bounds_min ${min[index]}`,
      );
    }
  });
  return { boundsMin: [min[0]!, min[1]!, min[2]!], boundsMax: [max[0]!, max[1]!, max[2]!] };
}

/** Turntable frames and the mesh's triangle budget; without settings, the shared defaults. */
export function checkOutputSettings(start: Pick<ReconstructStart__Output, "settings">): OutputSettings {
  const settings = start.settings;
  if (!settings) {
    return {
      turntableFrames: reconstructionDefaults.turntableFrames,
      targetTriangles: reconstructionDefaults.targetTriangles,
    };
  }
  if (settings.turntable_frames > limits.turntableFrames) {
    throw invalidArgument(
      `settings.turntable_frames must be between 0 and ${limits.turntableFrames}, got ${settings.turntable_frames}`,
    );
  }
  if (settings.target_triangles > limits.targetTriangles) {
    throw invalidArgument(
      `settings.target_triangles must be between 0 and ${limits.targetTriangles}, got ${settings.target_triangles}`,
    );
  }
  return { turntableFrames: settings.turntable_frames, targetTriangles: settings.target_triangles };
}
