/** What a frame is for in a radiance-field run. */
export type FrameRole = "TRAIN" | "HELD_OUT";

/** Frames a run needs to train on; startReconstruction refuses a scene with fewer. */
export const MIN_TRAIN_FRAMES = 8;

/** Without a val/test split, this one frame in so many is held out to measure PSNR and SSIM on. */
const HOLD_OUT_EVERY = 8;

/**
 * Roles of a scene's frames, in the given order: TRAIN frames train, VAL and TEST frames are held
 * out. A scene without VAL or TEST frames has every 8th frame held out (the LLFF convention:
 * positions 0, 8, 16 …), unless that would leave fewer than MIN_TRAIN_FRAMES to train on; then
 * every frame trains and the run reports no held-out metrics.
 */
export function frameRoles(splits: readonly string[]): FrameRole[] {
  if (splits.some((split) => split !== "TRAIN")) {
    return splits.map((split) => (split === "TRAIN" ? "TRAIN" : "HELD_OUT"));
  }
  const heldOut = Math.ceil(splits.length / HOLD_OUT_EVERY);
  if (splits.length - heldOut < MIN_TRAIN_FRAMES) return splits.map(() => "TRAIN");
  return splits.map((_, position) => (position % HOLD_OUT_EVERY === 0 ? "HELD_OUT" : "TRAIN"));
}
