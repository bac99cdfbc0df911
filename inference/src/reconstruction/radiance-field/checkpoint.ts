import type { RadianceFieldOptions, Vec3 } from "../contracts";
import type { GridShape } from "./field-grid";
import type { OptimiserState } from "./optimiser";

/**
 * A run's whole state as bytes: "TRFC", a uint32 header length, a JSON header (the settings the
 * state depends on, the counters and the generator's state), then the grids, Adam's moments and
 * the occupancy grid, each 4-byte aligned. Gradients and touched marks are zero between steps.
 */
export interface CheckpointHeader {
  version: 1;
  settings: CheckedSettings;
  step: number;
  stageIndex: number;
  /** Adam updates since the stage began. */
  stageUpdates: number;
  randomState: number;
  shape: GridShape;
}

type CheckedSettings = Pick<
  RadianceFieldOptions,
  "gridResolution" | "steps" | "raysPerBatch" | "samplesPerRay" | "background" | "seed" | "viewDependent"
> & { boundsMin: Vec3; boundsMax: Vec3 };

const MAGIC = "TRFC";

export function checkedSettings(
  options: RadianceFieldOptions,
  boundsMin: Vec3,
  boundsMax: Vec3,
): CheckedSettings {
  const { gridResolution, steps, raysPerBatch, samplesPerRay, background, seed, viewDependent } = options;
  return {
    gridResolution,
    steps,
    raysPerBatch,
    samplesPerRay,
    background: [...background],
    seed,
    viewDependent,
    boundsMin: [...boundsMin],
    boundsMax: [...boundsMax],
  };
}

function arraysOf(state: OptimiserState): Array<Float32Array | Uint8Array> {
  const { grid } = state;
  return [
    grid.density,
    grid.colour,
    state.densityFirst,
    state.densitySecond,
    state.colourFirst,
    state.colourSecond,
    grid.occupancy,
  ];
}

export function writeCheckpoint(header: CheckpointHeader, state: OptimiserState): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const arrays = arraysOf(state);
  let size = align(8 + json.length);
  for (const array of arrays) size = align(size + array.byteLength);
  const bytes = new Uint8Array(size);
  bytes.set(Buffer.from(MAGIC, "ascii"), 0);
  new DataView(bytes.buffer).setUint32(4, json.length, true);
  bytes.set(json, 8);
  let at = align(8 + json.length);
  for (const array of arrays) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at = align(at + array.byteLength);
  }
  return bytes;
}

export function readCheckpointHeader(bytes: Uint8Array, expected: CheckedSettings): CheckpointHeader {
  if (bytes.length < 8 || Buffer.from(bytes.subarray(0, 4)).toString("ascii") !== MAGIC) {
    throw new RangeError("the checkpoint is not a radiance-field checkpoint");
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + length > bytes.length) throw new RangeError("the checkpoint is truncated");
  let header: CheckpointHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString("utf8")) as CheckpointHeader;
  } catch {
    throw new RangeError("the checkpoint's header is not readable");
  }
  if (header.version !== 1)
    throw new RangeError(`the checkpoint has version ${String(header.version)}, expected 1`);
  for (const [name, value] of Object.entries(expected)) {
    const stored = (header.settings as Record<string, unknown>)[name];
    if (JSON.stringify(stored) !== JSON.stringify(value)) {
      throw new RangeError(
        `the checkpoint was made with ${name} ${JSON.stringify(stored)}, not ${JSON.stringify(value)}`,
      );
    }
  }
  return header;
}

/** Copies the checkpoint's arrays into a state allocated for its header's shape. */
export function readCheckpointArrays(bytes: Uint8Array, state: OptimiserState): void {
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  let at = align(8 + length);
  for (const array of arraysOf(state)) {
    if (at + array.byteLength > bytes.length) throw new RangeError("the checkpoint is truncated");
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(
      bytes.subarray(at, at + array.byteLength),
    );
    at = align(at + array.byteLength);
  }
  if (at !== bytes.length) throw new RangeError("the checkpoint has trailing bytes");
}

function align(offset: number): number {
  return (offset + 3) & ~3;
}
