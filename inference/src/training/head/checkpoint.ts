import { CheckpointError, type HeadWeights } from "../contracts";
import { CheckpointReader, CheckpointWriter } from "./checkpoint-bytes";
import { denseLayout, layerViews } from "./dense-layout";
import type { PlateauState } from "./learning-rate";
import type { EarlyStoppingState } from "./monitor";
import type { OptimizerKind, OptimizerState } from "./optimizer";
import type { Standardisation } from "./standardisation";

/** Everything a run needs to continue after `epoch` exactly as if it had never stopped. */
export interface TrainingState {
  /** The last finished epoch (1-based; 0 before the first). */
  epoch: number;
  /** Features, hidden units…, classes. */
  sizes: number[];
  standardisation: Standardisation;
  parameters: Float32Array;
  best: { epoch: number; objective: number; parameters: Float32Array };
  optimizer: OptimizerState;
  plateau: PlateauState;
  earlyStopping: EarlyStoppingState;
}

/*
 * Layout, little-endian: "TSHD", u32 version, u32 epoch, u32 layer-size count, u32 sizes…,
 * u8 optimizer (0 ADAM, 1 SGD), u32 optimizer step, u32 best epoch, f64 best objective,
 * f64 plateau factor, f64 plateau best, u32 plateau wait, f64 early-stopping best,
 * u32 early-stopping wait, u8 stopped; then f32 arrays: mean, scale (features each), parameters,
 * best parameters, first moment (parameter count each), second moment (ADAM only).
 */
const magic = [0x54, 0x53, 0x48, 0x44];
const version = 1;
const optimizerCodes: readonly OptimizerKind[] = ["ADAM", "SGD"];
/** Bound what untrusted bytes may ask to allocate before anything is allocated. */
const largestLayer = 1 << 20;
const largestLayerCount = 64;

/** Everything before the arrays: the fields of the layout above, in order. */
const fixedBytes = (layerCount: number) =>
  4 + 4 + 4 + 4 + 4 * layerCount + 1 + 4 + 4 + 8 + 8 + 8 + 4 + 8 + 4 + 1;

function arrayBytes(sizes: readonly number[], optimizer: OptimizerKind): number {
  const parameters = denseLayout(sizes).parameterCount;
  return 4 * (2 * sizes[0]! + parameters * (optimizer === "ADAM" ? 4 : 3));
}

export function encodeCheckpoint(state: TrainingState): Uint8Array {
  const { sizes, optimizer, best, plateau, earlyStopping } = state;
  const out = new CheckpointWriter(fixedBytes(sizes.length) + arrayBytes(sizes, optimizer.kind));
  magic.forEach((byte) => out.u8(byte));
  out.u32(version);
  out.u32(state.epoch);
  out.u32(sizes.length);
  sizes.forEach((size) => out.u32(size));
  out.u8(optimizerCodes.indexOf(optimizer.kind));
  out.u32(optimizer.step);
  out.u32(best.epoch);
  out.f64(best.objective);
  out.f64(plateau.factor);
  out.f64(plateau.best);
  out.u32(plateau.wait);
  out.f64(earlyStopping.best);
  out.u32(earlyStopping.wait);
  out.u8(earlyStopping.stopped ? 1 : 0);
  out.f32s(state.standardisation.mean);
  out.f32s(state.standardisation.scale);
  out.f32s(state.parameters);
  out.f32s(best.parameters);
  out.f32s(optimizer.first);
  out.f32s(optimizer.second);
  return out.bytes;
}

/** Reads a checkpoint back; throws CheckpointError for anything this trainer did not write. */
export function decodeCheckpoint(bytes: Uint8Array): TrainingState {
  const from = new CheckpointReader(bytes);
  if (magic.some((byte) => from.u8() !== byte)) {
    throw new CheckpointError("not a head-trainer checkpoint: it does not start with TSHD");
  }
  const found = from.u32();
  if (found !== version) {
    throw new CheckpointError(`checkpoint format version ${found}, this trainer reads ${version}`);
  }
  const epoch = from.u32();
  const layerCount = from.u32();
  if (layerCount < 2 || layerCount > largestLayerCount) {
    throw new CheckpointError(`checkpoint names ${layerCount} layer sizes`);
  }
  const sizes = Array.from({ length: layerCount }, () => from.u32());
  if (sizes.some((size) => size < 1 || size > largestLayer)) {
    throw new CheckpointError(`checkpoint has layer sizes [${sizes.join(", ")}]`);
  }
  const optimizerKind = optimizerCodes[from.u8()];
  if (optimizerKind === undefined) throw new CheckpointError("checkpoint names an unknown optimizer");
  const expected = fixedBytes(layerCount) + arrayBytes(sizes, optimizerKind);
  if (bytes.byteLength !== expected) {
    throw new CheckpointError(
      `checkpoint has ${bytes.byteLength} bytes, a head of sizes [${sizes.join(", ")}] with ${optimizerKind} needs ${expected}`,
    );
  }

  const optimizerStep = from.u32();
  const best = { epoch: from.u32(), objective: from.f64() };
  const plateau = { factor: from.f64(), best: from.f64(), wait: from.u32() };
  const earlyStopping = { best: from.f64(), wait: from.u32(), stopped: from.u8() === 1 };
  const parameterCount = denseLayout(sizes).parameterCount;
  const standardisation = { mean: from.f32s(sizes[0]!), scale: from.f32s(sizes[0]!) };
  const parameters = from.f32s(parameterCount);
  const bestParameters = from.f32s(parameterCount);
  const first = from.f32s(parameterCount);
  const second = from.f32s(optimizerKind === "ADAM" ? parameterCount : 0);
  return {
    epoch,
    sizes,
    standardisation,
    parameters,
    best: { ...best, parameters: bestParameters },
    optimizer: { kind: optimizerKind, step: optimizerStep, first, second },
    plateau,
    earlyStopping,
  };
}

/**
 * The best epoch's head in a checkpoint (any Checkpoint.state or TrainingResult.checkpoint).
 * Each array is its own buffer, so writers may hand `weights.buffer` on as it is.
 */
export function headFromCheckpoint(state: Uint8Array): HeadWeights {
  const decoded = decodeCheckpoint(state);
  return {
    inputMean: decoded.standardisation.mean,
    inputScale: decoded.standardisation.scale,
    layers: layerViews(denseLayout(decoded.sizes), decoded.best.parameters).map((layer) => ({
      ...layer,
      weights: layer.weights.slice(),
      bias: layer.bias.slice(),
    })),
  };
}
