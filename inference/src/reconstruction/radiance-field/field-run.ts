import type {
  FieldRender,
  PinholeCamera,
  RadianceFieldOptions,
  RadianceFieldRun,
  StepReport,
  Vec3,
  VoxelField,
} from "../contracts";
import { CAMERA_STRIDE, packCamera } from "./camera-rays";
import type { CheckpointHeader } from "./checkpoint";
import { checkedSettings, writeCheckpoint } from "./checkpoint";
import { densityShift, gridShape, SH_C0, sigmoid, softplus } from "./field-grid";
import { allocateState, blockSlab, slab } from "./field-state";
import type { FieldWorkers } from "./field-workers";
import type { AdamStep, OptimiserState } from "./optimiser";
import { hyperparameters as h, stepInFinalVoxels, type Stage } from "./schedule";
import { SeededStream } from "./seeded-stream";
import type { StepConstants, WorkerReply, WorkerSetup } from "./worker-protocol";

export interface GatherScatterTiming {
  samples: number;
  seconds: number;
}

/** The contract's run plus the bench's reference loop. */
export interface RadianceFieldTrainer extends RadianceFieldRun {
  /**
   * Times the bare trilinear gather-and-scatter loop on the current grid along one batch of rays,
   * traced `repeats` times (a batch alone takes milliseconds: too short to time).
   */
  measureGatherScatter(repeats?: number): Promise<GatherScatterTiming>;
}

export interface RunCounters {
  step: number;
  stageIndex: number;
  stageUpdates: number;
  randomState: number;
}

/**
 * The coordinator: owns the shared state, draws each step's rays, and drives the workers through
 * the phases of a step (trace → reduce → apply, and every so often occupancy). Calls are
 * serialised; a step is never interrupted halfway, so the state between steps is always whole.
 */
export class FieldRun implements RadianceFieldTrainer {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly random: SeededStream;
  private readonly shift = densityShift(h.initialAlpha);
  private readonly totalPixels: number;
  private stageIndex: number;
  private stageUpdates: number;
  step: number;

  constructor(
    private readonly options: RadianceFieldOptions,
    private readonly bounds: { min: Vec3; max: Vec3 },
    private readonly stages: Stage[],
    private readonly workers: FieldWorkers,
    private readonly setup: Omit<WorkerSetup, "workerIndex">,
    private state: OptimiserState,
    counters: RunCounters,
  ) {
    this.step = counters.step;
    this.stageIndex = counters.stageIndex;
    this.stageUpdates = counters.stageUpdates;
    this.random = new SeededStream(counters.randomState);
    const frames = setup.frameStarts.length - 1;
    this.totalPixels = setup.frameStarts[frames]!;
  }

  get totalSteps(): number {
    return this.options.steps;
  }

  advance(count: number, signal: AbortSignal): Promise<StepReport[]> {
    if (signal.aborted) return Promise.reject(abortError());
    const work = this.exclusive(async () => {
      const reports: StepReport[] = [];
      const end = Math.min(this.options.steps, this.step + Math.max(0, Math.floor(count)));
      while (this.step < end) {
        if (signal.aborted) throw abortError();
        await this.enterStage();
        reports.push(await this.oneStep());
      }
      return reports;
    });
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortError());
      signal.addEventListener("abort", onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  render(camera: PinholeCamera, signal?: AbortSignal): Promise<FieldRender> {
    if (signal?.aborted) return Promise.reject(abortError());
    return this.exclusive(async () => {
      const { width, height } = camera;
      const packed = new Float64Array(new SharedArrayBuffer(CAMERA_STRIDE * 8));
      packCamera(camera, packed, 0);
      const shared = (count: number) => new Float32Array(new SharedArrayBuffer(count * 4));
      const rgb = shared(width * height * 3);
      const depth = shared(width * height);
      const opacity = shared(width * height);
      const constants = this.constants(this.options.gridResolution);
      await this.workers.all((index) => ({
        type: "render",
        camera: packed,
        rowStart: index,
        rowStride: this.workers.count,
        constants,
        rgb,
        depth,
        opacity,
      }));
      if (signal?.aborted) throw abortError();
      return { width, height, rgb: rgb.slice(), depth: depth.slice(), opacity: opacity.slice() };
    });
  }

  alphaField(): Promise<VoxelField> {
    return this.exclusive(async () => {
      const { grid } = this.state;
      const points = grid.nx * grid.ny * grid.nz;
      const values = new Float32Array(points);
      const rgb = new Float32Array(points * 3);
      for (let v = 0; v < points; v++) {
        values[v] = -Math.expm1(-softplus(grid.density[v]! + this.shift));
        for (let c = 0; c < 3; c++) {
          rgb[v * 3 + c] =
            grid.channels === 12
              ? sigmoid(SH_C0 * grid.colour[v * 12 + c * 4]!)
              : sigmoid(grid.colour[v * 3 + c]!);
        }
      }
      const upper = [grid.nx, grid.ny, grid.nz].map(
        (n, axis) => grid.boundsMin[axis]! + (n - 1) * grid.voxel,
      );
      return {
        dims: [grid.nx, grid.ny, grid.nz],
        boundsMin: [...grid.boundsMin],
        boundsMax: upper as Vec3,
        values,
        level: h.surfaceAlpha,
        insideAbove: true,
        rgb,
      };
    });
  }

  checkpoint(): Promise<Uint8Array> {
    return this.exclusive(async () => {
      const { grid } = this.state;
      const header: CheckpointHeader = {
        version: 1,
        settings: checkedSettings(this.options, this.bounds.min, this.bounds.max),
        step: this.step,
        stageIndex: this.stageIndex,
        stageUpdates: this.stageUpdates,
        randomState: this.random.state,
        shape: { nx: grid.nx, ny: grid.ny, nz: grid.nz, voxel: grid.voxel },
      };
      return writeCheckpoint(header, this.state);
    });
  }

  measureGatherScatter(repeats = 1): Promise<GatherScatterTiming> {
    return this.exclusive(async () => {
      this.drawBatch();
      const constants = this.constants(this.stages[this.stageIndex]!.resolution);
      const replies = await this.workers.all<Extract<WorkerReply, { type: "done" }>>((index) => ({
        type: "gatherScatter",
        ...this.rayRange(index),
        repeats,
        constants,
      }));
      const samples = replies.reduce((sum, reply) => sum + reply.count, 0);
      // The threads run side by side: the slowest one is the wall time.
      const seconds = Math.max(...replies.map((reply) => reply.seconds ?? 0));
      return { samples, seconds };
    });
  }

  close(): Promise<void> {
    return this.exclusive(() => this.workers.close());
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private constants(stageResolution: number): StepConstants {
    const delta = stepInFinalVoxels(this.options.gridResolution, this.options.samplesPerRay, stageResolution);
    const finalVoxel = gridShape(this.bounds.min, this.bounds.max, this.options.gridResolution).voxel;
    return {
      step: delta * finalVoxel,
      delta,
      shift: this.shift,
      background: this.options.background,
      stopTransmittance: h.stopTransmittance,
    };
  }

  private rayRange(index: number): { rayStart: number; rayEnd: number } {
    const rays = this.options.raysPerBatch;
    const count = this.workers.count;
    return { rayStart: Math.floor((rays * index) / count), rayEnd: Math.floor((rays * (index + 1)) / count) };
  }

  private drawBatch(): void {
    const { batchFrames, batchPixels, batchOffsets, frameStarts } = this.setup;
    for (let ray = 0; ray < this.options.raysPerBatch; ray++) {
      const pixel = this.random.below(this.totalPixels);
      let low = 0;
      let high = frameStarts.length - 2;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (frameStarts[middle]! <= pixel) low = middle;
        else high = middle - 1;
      }
      batchFrames[ray] = low;
      batchPixels[ray] = pixel - frameStarts[low]!;
      batchOffsets[ray] = this.random.next();
    }
  }

  private async oneStep(): Promise<StepReport> {
    const stage = this.stages[this.stageIndex]!;
    const rays = this.options.raysPerBatch;
    this.drawBatch();
    const constants = this.constants(stage.resolution);
    const traced = await this.workers.all<Extract<WorkerReply, { type: "traced" }>>((index) => ({
      type: "trace",
      ...this.rayRange(index),
      scale: 2 / (3 * rays),
      entropyScale: h.opacityEntropy / rays,
      constants,
    }));
    const count = this.workers.count;
    this.stageUpdates++;
    const decay = h.learningRateDecay ** (this.step / this.options.steps);
    const adam: AdamStep = {
      learningRateDensity: h.learningRateDensity * decay,
      learningRateColour: h.learningRateColour * decay,
      beta1: h.beta1,
      beta2: h.beta2,
      epsilon: h.epsilon,
      t: this.stageUpdates,
    };
    const reduced = await this.workers.all<Extract<WorkerReply, { type: "reduced" }>>((index) => ({
      type: "reduce",
      index,
      count,
      weightDensity: h.totalVariationDensity,
      weightColour: h.totalVariationColour,
      adam,
    }));
    await this.workers.all((index) => ({ type: "apply", index, count, adam }));
    this.step++;
    if (this.stageUpdates % h.occupancyEvery === 0) await this.refreshOccupancy();
    let squaredError = 0;
    let entropy = 0;
    let samples = 0;
    for (const reply of traced) {
      squaredError += reply.squaredError;
      entropy += reply.entropy;
      samples += reply.samples;
    }
    const regulariser = reduced.reduce((sum, reply) => sum + reply.regulariser, 0);
    const mse = squaredError / (3 * rays);
    return {
      step: this.step,
      totalSteps: this.options.steps,
      loss: mse + (h.opacityEntropy * entropy) / rays + regulariser,
      mse,
      resolution: stage.resolution,
      rays,
      samples,
    };
  }

  /** Moves to the next stage when this one's steps are done: a finer grid, upsampled, fresh moments. */
  private async enterStage(): Promise<void> {
    const next = this.stages[this.stageIndex + 1];
    if (!next || this.step < next.firstStep) return;
    const shape = gridShape(this.bounds.min, this.bounds.max, next.resolution);
    const from = this.state.grid;
    this.state = allocateState(shape, this.bounds.min, from.channels, this.workers.count);
    this.stageIndex++;
    this.stageUpdates = 0;
    await this.workers.all(() => ({ type: "state", state: this.state }));
    const count = this.workers.count;
    await this.workers.all((index) => ({ type: "upsample", from, ...slab(shape.nz, index, count) }));
    await this.refreshOccupancy();
  }

  private async refreshOccupancy(): Promise<void> {
    const rawThreshold = densityShift(h.occupancyAlpha) - this.shift;
    const count = this.workers.count;
    await this.workers.all((index) => ({
      type: "occupancy",
      ...blockSlab(this.state.grid.nz, index, count),
      rawThreshold,
    }));
  }
}

function abortError(): Error {
  return new DOMException("The radiance-field run was cancelled", "AbortError");
}
