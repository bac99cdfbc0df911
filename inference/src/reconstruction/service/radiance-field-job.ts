import type { Progress } from "@tessera/proto/generated/tessera/reconstruction/v1/Progress";
import { psnr } from "../image-metrics";
import { createRadianceField } from "../radiance-field";
import type { RadianceFieldRun, RadianceFieldScene, SceneFrame, StepReport } from "../contracts";
import { pngType, type ReconstructEvents } from "./event-stream";
import { finishRadianceField } from "./radiance-field-outputs";
import { progressEverySteps } from "./reconstruction-limits";
import type { RadianceFieldPlan } from "./reconstruction-plan";
import { renderPng, rgbFloats } from "./render-png";
import { restoreCheckpoint } from "./restore-checkpoint";

/**
 * One RADIANCE_FIELD run: optimises in chunks of steps, each followed by a Progress event; at
 * every preview step a held-out view is rendered (its PSNR in that Progress, its PNG a
 * PREVIEW_PNG artifact); at every checkpoint step the state goes out as CheckpointOut chunks;
 * then the final renders, metrics, mesh and point cloud (radiance-field-outputs.ts).
 */
export async function runRadianceField(
  plan: RadianceFieldPlan,
  frames: SceneFrame[],
  checkpoint: Uint8Array | null,
  events: ReconstructEvents,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const scene = sceneOf(plan, frames);
  const run = checkpoint
    ? await restoreCheckpoint(() => createRadianceField(scene, plan.options, checkpoint))
    : await createRadianceField(scene, plan.options);
  try {
    const rates = { rays: 0, samples: 0, seconds: 0 };
    // The view previews are measured on: held out when there is one, else the first trained on.
    const previewFrame = scene.heldOut[0] ?? scene.train[0]!;
    const previewTruth = rgbFloats(previewFrame.rgb);
    while (run.step < run.totalSteps) {
      const count = nextChunk(run, plan);
      const chunkStarted = performance.now();
      const reports = await run.advance(count, signal);
      const last = reports[reports.length - 1];
      if (!last) break;
      const seconds = (performance.now() - chunkStarted) / 1000;
      rates.seconds += seconds;
      for (const report of reports) {
        rates.rays += report.rays;
        rates.samples += report.samples;
      }
      const progress = progressOf(last, reports, seconds);
      if (isDue(last.step, plan.previewEvery)) {
        const render = await run.render(previewFrame.camera, signal);
        if (scene.heldOut.length > 0) progress.psnr = psnr(render.rgb, previewTruth);
        await events.progress(progress);
        await events.artifact({
          kind: "PREVIEW_PNG",
          number: last.step,
          contentType: pngType,
          fileName: `preview-${String(last.step).padStart(6, "0")}.png`,
          bytes: await renderPng(render),
        });
      } else {
        await events.progress(progress);
      }
      if (isDue(last.step, plan.checkpointEvery) && last.step < run.totalSteps) {
        await events.checkpoint(last.step, await run.checkpoint());
      }
    }
    signal.throwIfAborted();
    await finishRadianceField(run, scene, plan, events, {
      started,
      raysPerSecond: rates.seconds > 0 ? rates.rays / rates.seconds : 0,
      samplesPerSecond: rates.seconds > 0 ? rates.samples / rates.seconds : 0,
      signal,
    });
  } finally {
    await run.close();
  }
}

function sceneOf(plan: RadianceFieldPlan, frames: SceneFrame[]): RadianceFieldScene {
  const roles = new Map(plan.frames.map((frame) => [frame.index, frame.role]));
  return {
    train: frames.filter((frame) => roles.get(frame.index) === "TRAIN"),
    heldOut: frames.filter((frame) => roles.get(frame.index) === "HELD_OUT"),
    boundsMin: plan.boundsMin,
    boundsMax: plan.boundsMax,
  };
}

/** Steps to the next Progress: at most progressEverySteps, cut at the next preview or checkpoint. */
function nextChunk(run: RadianceFieldRun, plan: RadianceFieldPlan): number {
  let end = Math.min(run.totalSteps, run.step + progressEverySteps);
  for (const every of [plan.previewEvery, plan.checkpointEvery]) {
    if (every > 0) end = Math.min(end, (Math.floor(run.step / every) + 1) * every);
  }
  return end - run.step;
}

const isDue = (step: number, every: number) => every > 0 && step % every === 0;

function progressOf(last: StepReport, reports: StepReport[], seconds: number): Progress {
  let rays = 0;
  let samples = 0;
  for (const report of reports) {
    rays += report.rays;
    samples += report.samples;
  }
  return {
    step: last.step,
    total_steps: last.totalSteps,
    phase: "optimising",
    loss: last.loss,
    psnr: Number.NaN,
    samples_per_second: seconds > 0 ? samples / seconds : 0,
    rays_per_second: seconds > 0 ? rays / seconds : 0,
    grid_resolution: last.resolution,
  };
}
