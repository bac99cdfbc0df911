import { openImage } from "../../images/decode-image";
import { rgbPng } from "../../images/encode-png";
import { failedPrecondition, TierError } from "../../runtime/errors";
import { depthMapOf } from "../../tasks/depth-map";
import { requireTask } from "../../tasks/model-task";
import { runSingleImage } from "../../tasks/single-image";
import type { TaskContext } from "../../tasks/task-context";
import type { PinholeCamera } from "../contracts";
import { heightFieldMesh, meshToGlb } from "../mesh";
import type { ReconstructEvents } from "./event-stream";
import { phaseProgress } from "./job-phases";
import { sendMeshOutputs } from "./mesh-outputs";
import { reconstructionLimits as limits } from "./reconstruction-limits";
import type { DepthMeshPlan } from "./reconstruction-plan";

/**
 * DEPTH_MESH: Progress "inference" (0 of 2), the depth model run through the tier's runner as
 * EstimateDepth runs it, Progress "meshing" (1 of 2), then the height field's files (its GLB
 * textured with the photo and marked `extras.heightField`, see mesh-outputs.ts for the order, the
 * preview drawn from the photo's own viewpoint) and a ReconstructResult with height_field true.
 */
export async function runDepthMesh(
  plan: DepthMeshPlan,
  tasks: TaskContext,
  events: ReconstructEvents,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  checkDepthModel(tasks, plan);
  const image = await openImage(plan.image, tasks.imageLimits);
  await phaseProgress(events, "inference", 0, 2);
  const { model, output } = await runSingleImage(
    tasks,
    { model_name: plan.model.name, model_version: plan.model.version, image: plan.image },
    "DEPTH_MESH",
    ["depth"],
    { dense: true, signal },
  );
  await phaseProgress(events, "meshing", 1, 2);
  const pixels = await image.rgb();
  const photo = {
    width: pixels.width,
    height: pixels.height,
    rgb: pixels.data,
    png: await rgbPng(pixels.data, pixels),
  };
  const mesh = heightFieldMesh(depthMapOf(output), photo, {
    fieldOfViewDegrees: plan.fieldOfViewDegrees,
    cells: plan.meshCells,
    depthKind: plan.depthKind,
  });
  const glb = await meshToGlb(mesh, {
    unlit: true,
    // An open surface: seen from the side, its back faces must not vanish.
    doubleSided: true,
    extras: {
      method: "DEPTH_MESH",
      heightField: true,
      model: `${model.name}/${model.version}`,
      fieldOfViewDegrees: plan.fieldOfViewDegrees,
      depthKind: plan.depthKind,
    },
  });
  signal.throwIfAborted();
  const stats = await sendMeshOutputs(mesh, events, {
    glb,
    previewCamera: photoCamera(pixels.width, pixels.height, plan.fieldOfViewDegrees),
    turntableFrames: plan.output.turntableFrames,
    texture: pixels,
    signal,
  });
  await events.result({
    psnr: Number.NaN,
    ssim: Number.NaN,
    per_view: [],
    seconds: (performance.now() - started) / 1000,
    samples_per_second: 0,
    rays_per_second: 0,
    grid_resolution: 0,
    mesh: stats,
    height_field: true,
  });
}

/**
 * Checked before any event: a model that is not loaded here, or not a depth model, is a
 * precondition of the request (FAILED_PRECONDITION), not a missing resource.
 */
function checkDepthModel(tasks: TaskContext, plan: DepthMeshPlan): void {
  try {
    requireTask(tasks.runner.describe(plan.model.name, plan.model.version || undefined), "DEPTH_MESH", [
      "depth",
    ]);
  } catch (error) {
    if (error instanceof TierError && (error.code === "NOT_FOUND" || error.code === "UNAVAILABLE")) {
      throw failedPrecondition(
        `DEPTH_MESH needs depth model "${plan.model.name}"${plan.model.version ? ` version ${plan.model.version}` : ""} ` +
          `loaded on this tier: ${error.message}`,
      );
    }
    throw error;
  }
}

/** The photo's own viewpoint (the height field's origin, looking down -Z), at the render size. */
function photoCamera(width: number, height: number, fieldOfViewDegrees: number): PinholeCamera {
  const scale = limits.meshRenderSize / Math.max(width, height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const fx = w / 2 / Math.tan((fieldOfViewDegrees * Math.PI) / 360);
  const identity = Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  return {
    width: w,
    height: h,
    fx,
    fy: fx,
    cx: w / 2,
    cy: h / 2,
    k1: 0,
    k2: 0,
    p1: 0,
    p2: 0,
    cameraToWorld: identity,
  };
}
