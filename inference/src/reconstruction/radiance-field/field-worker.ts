import { parentPort, workerData } from "node:worker_threads";
import { CAMERA_STRIDE, intersectBounds, pixelRay } from "./camera-rays";
import type { FieldGrid } from "./field-grid";
import { gatherScatterRay } from "./gather-scatter";
import { refreshOccupancy, upsample } from "./grid-resample";
import type { OptimiserState } from "./optimiser";
import { applyChunkEdges, reduceAndApply } from "./optimiser";
import type { MarchConstants, MarchScratch, RayResult, Training } from "./ray-march";
import { createScratch, marchRay } from "./ray-march";
import type { StepConstants, WorkerReply, WorkerRequest, WorkerSetup } from "./worker-protocol";

/**
 * One thread of a radiance-field run. It holds no state of its own beyond scratch space: the grids,
 * moments and gradients live in shared memory that the coordinator owns (and checkpoints).
 */
const port = parentPort!;
const setup = workerData as WorkerSetup;
let state: OptimiserState | null = null;
let scratch: MarchScratch = createScratch(1);
let diagonal = 0;
const origin = new Float64Array(3);
const direction = new Float64Array(3);
const span = new Float64Array(2);
const target = new Float64Array(3);
const result: RayResult = { r: 0, g: 0, b: 0, opacity: 0, depth: 0, samples: 0 };

port.on("message", (request: WorkerRequest) => {
  try {
    port.postMessage(handle(request));
  } catch (error) {
    port.postMessage({ type: "failed", reason: error instanceof Error ? error.message : String(error) });
  }
});

function handle(request: WorkerRequest): WorkerReply {
  if (request.type === "state") {
    state = request.state;
    const { grid } = state;
    diagonal = Math.hypot(grid.nx - 1, grid.ny - 1, grid.nz - 1) * grid.voxel;
    return { type: "done", count: 0 };
  }
  const current = state!;
  switch (request.type) {
    case "trace":
      return trace(
        current,
        request.rayStart,
        request.rayEnd,
        request.scale,
        request.entropyScale,
        request.constants,
      );
    case "reduce":
      return {
        type: "reduced",
        regulariser: reduceAndApply(
          current,
          request.index,
          request.count,
          request.weightDensity,
          request.weightColour,
          request.adam,
        ),
      };
    case "apply":
      applyChunkEdges(current, request.index, request.count, request.adam);
      return { type: "done", count: 0 };
    case "occupancy":
      return {
        type: "done",
        count: refreshOccupancy(current.grid, request.z0, request.z1, request.rawThreshold),
      };
    case "upsample":
      upsample(request.from, current.grid, request.z0, request.z1);
      return { type: "done", count: 0 };
    case "render":
      render(current.grid, request);
      return { type: "done", count: 0 };
    case "gatherScatter": {
      const started = performance.now();
      let count = 0;
      for (let repeat = 0; repeat < request.repeats; repeat++) {
        count += gatherScatter(current, request.rayStart, request.rayEnd, request.constants);
      }
      const seconds = (performance.now() - started) / 1000;
      const gradients = current.gradients[setup.workerIndex]!;
      gradients.density.fill(0);
      gradients.colour.fill(0);
      return { type: "done", count, seconds };
    }
  }
}

function marchConstants(constants: StepConstants): MarchConstants {
  return { ...constants, background: Float64Array.from(constants.background) };
}

function gridMax(grid: FieldGrid): [number, number, number] {
  return [0, 1, 2].map(
    (axis) => grid.boundsMin[axis]! + ([grid.nx, grid.ny, grid.nz][axis]! - 1) * grid.voxel,
  ) as [number, number, number];
}

function batchRay(grid: FieldGrid, upper: [number, number, number], ray: number): number {
  const frame = setup.batchFrames[ray]!;
  const pixel = setup.batchPixels[ray]!;
  const at = frame * CAMERA_STRIDE;
  const width = setup.cameras[at]!;
  pixelRay(setup.cameras, at, pixel % width, Math.floor(pixel / width), origin, direction);
  intersectBounds(origin, direction, grid.boundsMin, upper, span);
  return (setup.frameStarts[frame]! + pixel) * 3;
}

function trace(
  current: OptimiserState,
  rayStart: number,
  rayEnd: number,
  scale: number,
  entropyScale: number,
  constants: StepConstants,
): WorkerReply {
  const { grid } = current;
  const k = marchConstants(constants);
  const upper = gridMax(grid);
  const capacity = Math.ceil(diagonal / constants.step) + 2;
  if (scratch.base.length < capacity) scratch = createScratch(capacity);
  const training: Training = {
    target,
    scale,
    entropyScale,
    gradients: { ...current.gradients[setup.workerIndex]!, touched: current.touched },
    scratch,
  };
  let squaredError = 0;
  let entropy = 0;
  let samples = 0;
  for (let ray = rayStart; ray < rayEnd; ray++) {
    const pixelAt = batchRay(grid, upper, ray);
    target[0] = setup.pixels[pixelAt]! / 255;
    target[1] = setup.pixels[pixelAt + 1]! / 255;
    target[2] = setup.pixels[pixelAt + 2]! / 255;
    marchRay(grid, k, origin, direction, span[0]!, span[1]!, setup.batchOffsets[ray]!, result, training);
    squaredError += (result.r - target[0]) ** 2 + (result.g - target[1]) ** 2 + (result.b - target[2]) ** 2;
    entropy += binaryEntropy(result.opacity);
    samples += result.samples;
  }
  return { type: "traced", squaredError, entropy, samples };
}

function binaryEntropy(opacity: number): number {
  const o = Math.min(Math.max(opacity, 1e-6), 1 - 1e-6);
  return -o * Math.log(o) - (1 - o) * Math.log(1 - o);
}

function render(grid: FieldGrid, request: Extract<WorkerRequest, { type: "render" }>): void {
  const k = marchConstants(request.constants);
  const upper = gridMax(grid);
  const width = request.camera[0]!;
  const height = request.camera[1]!;
  for (let v = request.rowStart; v < height; v += request.rowStride) {
    for (let u = 0; u < width; u++) {
      pixelRay(request.camera, 0, u, v, origin, direction);
      intersectBounds(origin, direction, grid.boundsMin, upper, span);
      marchRay(grid, k, origin, direction, span[0]!, span[1]!, 0.5, result, null);
      const p = v * width + u;
      request.rgb[p * 3] = result.r;
      request.rgb[p * 3 + 1] = result.g;
      request.rgb[p * 3 + 2] = result.b;
      request.depth[p] = result.depth;
      request.opacity[p] = result.opacity;
    }
  }
}

function gatherScatter(
  current: OptimiserState,
  rayStart: number,
  rayEnd: number,
  constants: StepConstants,
): number {
  const { grid } = current;
  const upper = gridMax(grid);
  const gradients = current.gradients[setup.workerIndex]!;
  let samples = 0;
  for (let ray = rayStart; ray < rayEnd; ray++) {
    batchRay(grid, upper, ray);
    samples += gatherScatterRay(grid, gradients, constants.step, origin, direction, span[0]!, span[1]!);
  }
  return samples;
}
