import os from "node:os";
import { radianceFieldSettingBounds as bounds } from "@tessera/proto/reconstruction-settings";
import type { RadianceFieldOptions } from "../inference/src/reconstruction/contracts";
import { psnr, ssim } from "../inference/src/reconstruction/image-metrics";
import { extractMesh } from "../inference/src/reconstruction/mesh";
import { createRadianceField } from "../inference/src/reconstruction/radiance-field";
import { renderSyntheticScene, surfacePoints } from "../inference/test/helpers/synthetic-scene";
import { defineBenchmark } from "./lib/benchmark";
import { formatNumber, printTable, type Ratio } from "./lib/report";
import { meshToSurface, surfaceToMesh } from "./reconstruction/chamfer";

interface Options {
  size: number;
  train: number;
  heldOut: number;
  resolution: number;
  steps: number;
  rays: number;
  samples: number;
  threads: number;
}

const FLAGS = {
  size: "size",
  train: "train",
  "held-out": "heldOut",
  resolution: "resolution",
  steps: "steps",
  rays: "rays",
  samples: "samples",
  threads: "threads",
} as const;

export default defineBenchmark({
  description:
    "reconstruction: radiance field on the synthetic scene: held-out PSNR/SSIM, samples/s, mesh Chamfer; trainer vs bare gather-scatter  [--size=200] [--train=60] [--held-out=10] [--resolution=N] [--steps=N] [--rays=N] [--samples=N] [--threads=N]",
  async run(args) {
    const options = parseOptions(args);
    console.log(
      `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)} ` +
        "(figures from a busy machine are low and noisy: compare runs, not single numbers)",
    );
    const scene = renderSyntheticScene({
      width: options.size,
      height: options.size,
      trainViews: options.train,
      heldOutViews: options.heldOut,
      seed: 1,
    });
    const settings: RadianceFieldOptions = {
      gridResolution: options.resolution,
      steps: options.steps,
      raysPerBatch: options.rays,
      samplesPerRay: options.samples,
      background: [1, 1, 1],
      seed: 0,
      viewDependent: false,
      threads: options.threads,
    };
    console.log(
      `\n${options.size}×${options.size}, ${options.train} training and ${options.heldOut} held-out views, white background; ` +
        `${options.resolution}³ grid, ${options.steps} steps × ${options.rays} rays, ${options.samples} samples per ray, ${options.threads} threads`,
    );
    const run = await createRadianceField(scene, settings);
    const signal = new AbortController().signal;
    const started = performance.now();
    let rays = 0;
    let samples = 0;
    const chunk = Math.max(1, Math.round(options.steps / 12));
    while (run.step < run.totalSteps) {
      const reports = await run.advance(chunk, signal);
      for (const report of reports) {
        rays += report.rays;
        samples += report.samples;
      }
      const last = reports.at(-1)!;
      console.log(
        `  step ${last.step}/${last.totalSteps} at ${last.resolution}³: mse ${last.mse.toFixed(5)}, ` +
          `${formatNumber(last.samples / last.rays)} samples/ray, ${formatNumber((performance.now() - started) / 1000)} s`,
      );
    }
    const seconds = (performance.now() - started) / 1000;

    const perView: string[][] = [];
    let psnrSum = 0;
    let ssimSum = 0;
    for (const frame of scene.heldOut) {
      const render = await run.render(frame.camera);
      const truth = Float32Array.from(frame.rgb, (value) => value / 255);
      const viewPsnr = psnr(render.rgb, truth);
      const viewSsim = ssim(render.rgb, truth, frame.camera.width, frame.camera.height);
      psnrSum += viewPsnr;
      ssimSum += viewSsim;
      perView.push([`view ${frame.index}`, viewPsnr.toFixed(2), viewSsim.toFixed(4)]);
    }
    const field = await run.alphaField();
    const mesh = await extractMesh(field, {});
    const voxel = (field.boundsMax[0] - field.boundsMin[0]) / (field.dims[0] - 1);
    const truthPoints = surfacePoints(20_000, 2);
    const toTruth = meshToSurface(mesh, scene.sdf) / voxel;
    const toMesh = surfaceToMesh(truthPoints, mesh, voxel * 2) / voxel;
    // How much the iso-level matters: the same field meshed at other alpha levels.
    const levels: string[][] = [];
    for (const level of [0.05, 0.1, 0.2, 0.5]) {
      const other = await extractMesh({ ...field, level }, {});
      levels.push([
        level === field.level ? `${level} (used)` : String(level),
        (meshToSurface(other, scene.sdf) / voxel).toFixed(3),
        (surfaceToMesh(truthPoints, other, voxel * 2) / voxel).toFixed(3),
      ]);
    }

    // Warm the reference loop up before timing it, as the trainer was warm; then 3 × 8 batches
    // (one batch takes a fraction of a second: too short to time on a shared machine).
    await run.measureGatherScatter(4);
    let reference = { samples: 0, seconds: 0 };
    for (let repeat = 0; repeat < 3; repeat++) {
      const timing = await run.measureGatherScatter(8);
      reference = {
        samples: reference.samples + timing.samples,
        seconds: reference.seconds + timing.seconds,
      };
    }
    await run.close();

    printTable("Chamfer distance (voxels) by alpha level", ["level", "mesh → truth", "truth → mesh"], levels);
    printTable("Held-out views (background white)", ["view", "PSNR dB", "SSIM"], perView);
    const heldOut = scene.heldOut.length;
    printTable(
      "Radiance field",
      ["figure", "value"],
      [
        ["mean held-out PSNR", `${(psnrSum / heldOut).toFixed(2)} dB`],
        ["mean held-out SSIM", (ssimSum / heldOut).toFixed(4)],
        ["training wall time", `${seconds.toFixed(1)} s`],
        ["rays/s", formatNumber(rays / seconds)],
        ["samples/s", formatNumber(samples / seconds)],
        ["mesh vertices / triangles", `${mesh.positions.length / 3} / ${mesh.indices.length / 3}`],
        [`Chamfer mesh → truth (${field.dims[0]}³ voxels)`, `${toTruth.toFixed(3)} voxels`],
        ["Chamfer truth → mesh (incl. the never-seen box bottom)", `${toMesh.toFixed(3)} voxels`],
      ],
    );
    const ratio: Ratio = {
      name: "reconstruction.trainer",
      subject: { label: "trainer", value: samples / seconds, unit: "samples/s" },
      baseline: {
        label: "bare trilinear gather-and-scatter",
        value: reference.samples / reference.seconds,
        unit: "samples/s",
      },
      aim: 0.5,
      note: `same ${field.dims[0]}³ grid, ${options.threads} threads`,
    };
    return [ratio];
  },
});

function parseOptions(args: string[]): Options {
  const options: Options = {
    size: 200,
    train: 60,
    heldOut: 10,
    resolution: bounds.gridResolution.default,
    steps: bounds.steps.default,
    rays: bounds.raysPerBatch.default,
    samples: bounds.samplesPerRay.default,
    threads: Math.max(1, os.cpus().length),
  };
  for (const arg of args) {
    const flag = /^--([a-z-]+)=(\d+)$/.exec(arg);
    const key = flag && FLAGS[flag[1] as keyof typeof FLAGS];
    if (!key) {
      throw new Error(
        `Unknown argument "${arg}": expected any of ${Object.keys(FLAGS)
          .map((name) => `--${name}=N`)
          .join(", ")}`,
      );
    }
    const value = Number(flag[2]);
    if (value < 1) throw new Error(`${arg}: expected 1 or more`);
    options[key] = value;
  }
  return options;
}
