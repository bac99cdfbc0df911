import type { ReconstructEvents } from "./event-stream";

/**
 * A Progress for the methods that are not optimisations (DEPTH_MESH, TEXT_TO_3D, IMAGE_TO_3D):
 * `step` of `total` phases, no loss, PSNR or rates.
 */
export function phaseProgress(events: ReconstructEvents, phase: string, step: number, total: number) {
  return events.progress({
    step,
    total_steps: total,
    phase,
    loss: Number.NaN,
    psnr: Number.NaN,
    samples_per_second: 0,
    rays_per_second: 0,
    grid_resolution: 0,
  });
}
