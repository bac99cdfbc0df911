import type { ViewMetrics } from "@tessera/proto/generated/tessera/reconstruction/v1/ViewMetrics";
import type { PinholeCamera, RadianceFieldRun, RadianceFieldScene, Vec3 } from "../contracts";
import { psnr, ssim } from "../image-metrics";
import { extractMesh, gltfUpRotation, meshStats, meshToGlb, orbitCameras, pointCloudPly } from "../mesh";
import { rotatePoints } from "../mesh/orientation";
import { glbType, plyType, pngType, type ReconstructEvents } from "./event-stream";
import { meshStatsMessage } from "./mesh-outputs";
import { pointsFromRenders } from "./point-cloud";
import { reconstructionLimits as limits } from "./reconstruction-limits";
import type { RadianceFieldPlan } from "./reconstruction-plan";
import { renderPng, rgbFloats } from "./render-png";
import { sceneUp } from "./scene-geometry";

export interface RunStatistics {
  /** performance.now() when the call began. */
  started: number;
  raysPerSecond: number;
  samplesPerSecond: number;
  signal: AbortSignal;
}

/**
 * The end of a radiance-field run, in this order: a "rendering" Progress, one RENDER_PNG per
 * held-out view (measured against its photo), the TURNTABLE_PNG frames, a "meshing" Progress, the
 * MESH_GLB (none when the field has no surface), the POINT_CLOUD_PLY, and last the ReconstructResult. The mesh and the points are
 * turned so that the scene's up is +Y, as glTF wants; the result's mesh bounds are the GLB's.
 */
export async function finishRadianceField(
  run: RadianceFieldRun,
  scene: RadianceFieldScene,
  plan: RadianceFieldPlan,
  events: ReconstructEvents,
  statistics: RunStatistics,
): Promise<void> {
  const { signal } = statistics;
  const phase = (name: string) =>
    events.progress({
      step: run.step,
      total_steps: run.totalSteps,
      phase: name,
      loss: Number.NaN,
      psnr: Number.NaN,
      samples_per_second: statistics.samplesPerSecond,
      rays_per_second: statistics.raysPerSecond,
      grid_resolution: plan.options.gridResolution,
    });

  await phase("rendering");
  const perView: ViewMetrics[] = [];
  for (const frame of scene.heldOut) {
    const render = await run.render(frame.camera, signal);
    const truth = rgbFloats(frame.rgb);
    perView.push({
      frame: frame.index,
      psnr: psnr(render.rgb, truth),
      ssim: viewSsim(render.rgb, truth, render.width, render.height),
    });
    await events.artifact({
      kind: "RENDER_PNG",
      number: frame.index,
      contentType: pngType,
      fileName: `render-${frame.index}.png`,
      bytes: await renderPng(render),
    });
  }

  const cameras = [...scene.train, ...scene.heldOut].map((frame) => frame.camera);
  const up = sceneUp(cameras);
  for (const [number, camera] of turntableCameras(scene, up, plan.output.turntableFrames).entries()) {
    await events.artifact({
      kind: "TURNTABLE_PNG",
      number,
      contentType: pngType,
      fileName: `turntable-${String(number).padStart(3, "0")}.png`,
      bytes: await renderPng(await run.render(camera, signal)),
    });
  }

  await phase("meshing");
  const field = await run.alphaField();
  signal.throwIfAborted();
  const mesh = await extractMesh(field, {
    keepLargestComponent: true,
    targetTriangles: plan.output.targetTriangles || undefined,
  });
  signal.throwIfAborted();
  const rotation = gltfUpRotation(up);
  // A field with nothing opaque (too few steps, an empty scene) has no surface: the run still
  // ends with its renders and metrics, without a MESH_GLB and with a mesh of 0 triangles.
  if (mesh.indices.length > 0) {
    const glb = await meshToGlb(mesh, {
      rotation,
      unlit: true,
      extras: { method: "RADIANCE_FIELD", heightField: false, up },
    });
    await events.artifact({
      kind: "MESH_GLB",
      number: 0,
      contentType: glbType,
      fileName: "mesh.glb",
      bytes: glb,
    });
  }

  const views = [];
  for (const frame of spread(scene.train, limits.pointCloudViews)) {
    views.push({ camera: frame.camera, render: await run.render(frame.camera, signal) });
  }
  // In the GLB's frame, so that the two overlay in a viewer.
  const cloud = pointsFromRenders(views, limits.pointCloudPoints, plan.options.background);
  cloud.points = rotatePoints(cloud.points, rotation);
  await events.artifact({
    kind: "POINT_CLOUD_PLY",
    number: 0,
    contentType: plyType,
    fileName: "points.ply",
    bytes: pointCloudPly(cloud.points, cloud.colors),
  });

  const mean = (values: number[]) =>
    values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN;
  await events.result({
    psnr: mean(perView.map((view) => Number(view.psnr))),
    ssim: mean(perView.map((view) => Number(view.ssim))),
    per_view: perView,
    seconds: (performance.now() - statistics.started) / 1000,
    samples_per_second: statistics.samplesPerSecond,
    rays_per_second: statistics.raysPerSecond,
    grid_resolution: plan.options.gridResolution,
    mesh: mesh.indices.length > 0 ? meshStatsMessage(meshStats(mesh, rotation)) : emptyMesh,
    height_field: false,
  });
}

const emptyMesh = { vertex_count: 0, triangle_count: 0, bounds_min: [], bounds_max: [] };

/** An orbit about the bounds' centre and the scene's up, with the capture's image size and field of view. */
function turntableCameras(scene: RadianceFieldScene, up: Vec3, count: number): PinholeCamera[] {
  if (count === 0) return [];
  const like = (scene.heldOut[0] ?? scene.train[0]!).camera;
  return orbitCameras({
    boundsMin: scene.boundsMin,
    boundsMax: scene.boundsMax,
    up,
    count,
    width: like.width,
    height: like.height,
    fovDegrees: (2 * Math.atan(like.width / 2 / like.fx) * 180) / Math.PI,
    elevationDegrees: 20,
  });
}

/** At most `count` items, evenly spread over the list. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)]!);
}

/** SSIM's window side in image-metrics.ts (not exported there; it throws below it). */
const ssimWindow = 11;

/**
 * SSIM of a view, or NaN (null at the gateway) for a view too small for its window: frames are
 * at least reconstructionLimits.minFrameSize a side, but a metric is not worth failing a run for.
 */
function viewSsim(render: Float32Array, truth: Float32Array, width: number, height: number): number {
  if (width < ssimWindow || height < ssimWindow) return Number.NaN;
  return ssim(render, truth, width, height);
}
