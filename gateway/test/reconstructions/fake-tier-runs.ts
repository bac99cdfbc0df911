import { createHash } from "node:crypto";
import { encodePng } from "../../../inference/test/helpers/synthetic-scene";
import { artifactEvents, type FakeCall, type FakeRun } from "./fake-reconstruction-tier";

/** What the scripted tier answers: a whole run's events, built from what the gateway sent. */

export const GLB = Buffer.concat([Buffer.from("glTF"), Buffer.from([2, 0, 0, 0]), Buffer.alloc(56, 7)]);
export const PLY = Buffer.from("ply\nformat binary_little_endian 1.0\nelement vertex 0\nend_header\n");
export const png = (shade: number) => encodePng(new Uint8Array(4 * 4 * 3).fill(shade), 4, 4);
export const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

export function progress(step: number, total: number, psnr = Number.NaN) {
  return {
    progress: {
      step,
      total_steps: total,
      phase: "optimising",
      loss: 1 / step,
      psnr,
      samples_per_second: 5_000,
      rays_per_second: 50,
      grid_resolution: 16,
    },
  };
}

/** A whole run: steps (PSNR every other one), a preview and a checkpoint at step 2, then the outputs. */
export async function succeed(run: FakeRun, call: FakeCall) {
  const total = run.start.settings!.steps;
  for (let step = 1; step <= total; step++) {
    call.send(progress(step, total, step % 2 === 0 ? 10 + step : Number.NaN));
    if (step === 2) {
      for (const event of artifactEvents("PREVIEW_PNG", 2, png(2))) call.send(event);
      call.send({ checkpoint: { step: 2, data: Buffer.from("state-"), last: false } });
      call.send({ checkpoint: { step: 2, data: Buffer.from("at-2"), last: true } });
    }
  }
  for (const event of artifactEvents("MESH_GLB", 0, GLB)) call.send(event);
  for (const event of artifactEvents("POINT_CLOUD_PLY", 0, PLY)) call.send(event);
  const heldOut = run.start.frames.filter((frame) => frame.role === "HELD_OUT");
  for (const frame of heldOut)
    for (const event of artifactEvents("RENDER_PNG", frame.index, png(frame.index))) call.send(event);
  for (const turn of [0, 1])
    for (const event of artifactEvents("TURNTABLE_PNG", turn, png(100 + turn))) call.send(event);
  call.send({
    result: {
      psnr: 21.5,
      ssim: 0.8,
      per_view: heldOut.map((frame) => ({ frame: frame.index, psnr: 21.5, ssim: 0.8 })),
      seconds: 1.25,
      samples_per_second: 5_000,
      rays_per_second: 50,
      grid_resolution: 16,
      mesh: {
        vertex_count: 10,
        triangle_count: 16,
        bounds_min: [-0.5, -0.5, -0.5],
        bounds_max: [0.5, 0.5, 0.5],
      },
      height_field: false,
    },
  });
  call.end();
}
