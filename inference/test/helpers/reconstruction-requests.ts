import sharp from "sharp";
import type { PinholeCamera } from "../../src/reconstruction/contracts";
import { renderSyntheticScene, type SyntheticScene } from "./synthetic-scene";

/** The frames of a scene with indices unique across both roles (train first, then held out). */
export function indexedFrames(scene: SyntheticScene) {
  return [
    ...scene.train.map((frame, position) => ({ ...frame, index: position, role: "TRAIN" as const })),
    ...scene.heldOut.map((frame, position) => ({
      ...frame,
      index: scene.train.length + position,
      role: "HELD_OUT" as const,
    })),
  ];
}

/** A camera as the proto carries it. */
export function cameraMessage(camera: PinholeCamera) {
  const { cameraToWorld, ...intrinsics } = camera;
  return { ...intrinsics, transform: [...cameraToWorld] };
}

/** A tiny scene that trains in seconds: 16×16 frames, 8 training views, 2 held out. */
export function tinyScene(): SyntheticScene {
  return renderSyntheticScene({ width: 16, height: 16, trainViews: 8, heldOutViews: 2, seed: 7 });
}

/** Settings of a run that takes about a second on one core and ends with a surface to mesh. */
export const tinySettings = {
  grid_resolution: 16,
  steps: 300,
  rays_per_batch: 512,
  samples_per_ray: 16,
  seed: 3,
  preview_every: 100,
  checkpoint_every: 200,
  turntable_frames: 2,
};

/**
 * The messages of a RADIANCE_FIELD call on `scene`: the start (with `start` merged over it), then
 * one PNG per frame, then the checkpoint in chunks when one is given.
 */
export async function radianceFieldMessages(
  scene: SyntheticScene,
  options: { start?: object; settings?: object; checkpoint?: Uint8Array; threads?: number } = {},
): Promise<object[]> {
  const frames = indexedFrames(scene);
  const start = {
    method: "RADIANCE_FIELD",
    frames: frames.map((frame) => ({
      index: frame.index,
      role: frame.role,
      camera: cameraMessage(frame.camera),
    })),
    bounds_min: scene.boundsMin,
    bounds_max: scene.boundsMax,
    settings: { ...tinySettings, ...options.settings },
    threads: options.threads ?? 1,
    checkpoint_bytes: options.checkpoint?.length ?? 0,
    ...options.start,
  };
  const images = await Promise.all(
    frames.map((frame) =>
      sharp(frame.rgb, { raw: { width: frame.camera.width, height: frame.camera.height, channels: 3 } })
        .png()
        .toBuffer(),
    ),
  );
  const messages: object[] = [
    { start },
    ...frames.map((frame, position) => ({ frame: { index: frame.index, data: images[position] } })),
  ];
  const checkpoint = options.checkpoint;
  if (checkpoint) {
    for (let offset = 0; offset < checkpoint.length; offset += 256 * 1024) {
      messages.push({ checkpoint: { data: Buffer.from(checkpoint.subarray(offset, offset + 256 * 1024)) } });
    }
  }
  return messages;
}

/** A CheckpointOut sequence's bytes for `step`, joined. */
export function checkpointAt(
  events: Array<{ checkpoint?: { step: number; data: Buffer } }>,
  step: number,
): Buffer {
  return Buffer.concat(
    events.flatMap((event) => (event.checkpoint?.step === step ? [event.checkpoint.data] : [])),
  );
}
