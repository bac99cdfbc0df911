import type { Vec3 } from "../contracts";
import type { FieldGrid } from "./field-grid";
import type { AdamStep, OptimiserState } from "./optimiser";

/** Messages between the coordinator (index.ts) and its worker threads; every array is shared memory. */
export interface WorkerSetup {
  workerIndex: number;
  /** Training cameras packed by camera-rays.ts. */
  cameras: Float64Array;
  /** Every training frame's RGB bytes, one after another. */
  pixels: Uint8Array;
  /** Where each frame starts in `pixels`, in pixels. */
  frameStarts: Int32Array;
  /** The step's rays: frame, pixel within the frame, and the offset of the first sample (0…1). */
  batchFrames: Int32Array;
  batchPixels: Int32Array;
  batchOffsets: Float32Array;
}

export interface StepConstants {
  step: number;
  delta: number;
  shift: number;
  background: Vec3;
  stopTransmittance: number;
}

export type WorkerRequest =
  | { type: "state"; state: OptimiserState }
  | {
      type: "trace";
      rayStart: number;
      rayEnd: number;
      scale: number;
      entropyScale: number;
      constants: StepConstants;
    }
  | {
      /** Fused reduction and Adam over this worker's chunks of slices (optimiser.ts). */
      type: "reduce";
      index: number;
      count: number;
      weightDensity: number;
      weightColour: number;
      adam: AdamStep;
    }
  /** Adam on the first and last slice of this worker's chunks, once every worker has reduced. */
  | { type: "apply"; index: number; count: number; adam: AdamStep }
  | { type: "occupancy"; z0: number; z1: number; rawThreshold: number }
  | { type: "upsample"; from: FieldGrid; z0: number; z1: number }
  | {
      type: "render";
      camera: Float64Array;
      rowStart: number;
      rowStride: number;
      constants: StepConstants;
      rgb: Float32Array;
      depth: Float32Array;
      opacity: Float32Array;
    }
  | { type: "gatherScatter"; rayStart: number; rayEnd: number; repeats: number; constants: StepConstants };

export type WorkerReply =
  | { type: "traced"; squaredError: number; entropy: number; samples: number }
  | { type: "reduced"; regulariser: number }
  | { type: "done"; count: number; seconds?: number }
  | { type: "failed"; reason: string };
