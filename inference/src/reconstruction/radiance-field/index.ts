import type { RadianceFieldOptions, RadianceFieldScene, SceneFrame } from "../contracts";
import { packCameras } from "./camera-rays";
import { checkedSettings, readCheckpointArrays, readCheckpointHeader } from "./checkpoint";
import { gridBlocks, gridShape } from "./field-grid";
import { allocateState } from "./field-state";
import { deriveBlocks } from "./grid-resample";
import { FieldRun, type RadianceFieldTrainer, type RunCounters } from "./field-run";
import { FieldWorkers } from "./field-workers";
import { stagesOf } from "./schedule";
import type { WorkerSetup } from "./worker-protocol";

export type { GatherScatterTiming, RadianceFieldTrainer } from "./field-run";
export { hyperparameters, stagesOf } from "./schedule";

/**
 * Starts a radiance-field run on `scene` (a dense voxel grid optimised in worker threads), or
 * continues one from `checkpoint` bytes made by the same settings. Invalid settings, frames or
 * checkpoints throw a RangeError before any thread starts.
 */
export async function createRadianceField(
  scene: RadianceFieldScene,
  options: RadianceFieldOptions,
  checkpoint?: Uint8Array,
): Promise<RadianceFieldTrainer> {
  checkOptions(scene, options);
  const bounds = { min: scene.boundsMin, max: scene.boundsMax };
  const stages = stagesOf(options.gridResolution, options.steps);
  const channels = options.viewDependent ? 12 : 3;
  const header = checkpoint
    ? readCheckpointHeader(checkpoint, checkedSettings(options, bounds.min, bounds.max))
    : null;
  const counters: RunCounters = header ?? {
    step: 0,
    stageIndex: 0,
    stageUpdates: 0,
    randomState: options.seed,
  };
  const stage = stages[counters.stageIndex];
  if (!stage) throw new RangeError("the checkpoint's stage does not exist in this run");
  const shape = gridShape(bounds.min, bounds.max, stage.resolution);
  if (header && JSON.stringify(header.shape) !== JSON.stringify(shape)) {
    throw new RangeError("the checkpoint's grid does not match its stage");
  }
  const state = allocateState(shape, bounds.min, channels, options.threads);
  if (checkpoint) {
    readCheckpointArrays(checkpoint, state);
    deriveBlocks(state.grid, 0, gridBlocks(state.grid)[2]);
  }

  const setup = sharedFrames(scene.train, options.raysPerBatch);
  const workers = new FieldWorkers(
    Array.from({ length: options.threads }, (_, workerIndex) => ({ ...setup, workerIndex })),
  );
  try {
    // A fresh grid starts fully occupied (allocateState); the first refresh comes after some steps.
    await workers.all(() => ({ type: "state", state }));
  } catch (error) {
    await workers.close();
    throw error;
  }
  return new FieldRun(options, bounds, stages, workers, setup, state, counters);
}

function sharedFrames(frames: SceneFrame[], raysPerBatch: number): Omit<WorkerSetup, "workerIndex"> {
  const frameStarts = new Int32Array(new SharedArrayBuffer((frames.length + 1) * 4));
  frames.forEach((frame, index) => {
    frameStarts[index + 1] = frameStarts[index]! + frame.camera.width * frame.camera.height;
  });
  const pixels = new Uint8Array(new SharedArrayBuffer(frameStarts[frames.length]! * 3));
  frames.forEach((frame, index) => pixels.set(frame.rgb, frameStarts[index]! * 3));
  return {
    cameras: packCameras(frames.map((frame) => frame.camera)),
    pixels,
    frameStarts,
    batchFrames: new Int32Array(new SharedArrayBuffer(raysPerBatch * 4)),
    batchPixels: new Int32Array(new SharedArrayBuffer(raysPerBatch * 4)),
    batchOffsets: new Float32Array(new SharedArrayBuffer(raysPerBatch * 4)),
  };
}

function checkOptions(scene: RadianceFieldScene, options: RadianceFieldOptions): void {
  const positiveIntegers = ["gridResolution", "steps", "raysPerBatch", "samplesPerRay", "threads"] as const;
  for (const name of positiveIntegers) {
    const value = options[name];
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (options.gridResolution < 4)
    throw new RangeError(`gridResolution must be at least 4, got ${options.gridResolution}`);
  if (!Number.isInteger(options.seed) || options.seed < 0)
    throw new RangeError(`seed must be a non-negative integer`);
  if (options.background.length !== 3 || options.background.some((value) => !(value >= 0 && value <= 1))) {
    throw new RangeError("background must be three numbers between 0 and 1");
  }
  for (let axis = 0; axis < 3; axis++) {
    if (!(scene.boundsMax[axis]! > scene.boundsMin[axis]!))
      throw new RangeError("the scene's bounds are empty");
  }
  if (scene.train.length === 0) throw new RangeError("the scene has no training frames");
  for (const frame of scene.train) {
    const { width, height } = frame.camera;
    if (frame.rgb.length !== width * height * 3) {
      throw new RangeError(
        `frame ${frame.index} has ${frame.rgb.length} bytes, expected ${width}×${height}×3`,
      );
    }
  }
}
