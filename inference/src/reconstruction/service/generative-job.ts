import { extractMesh, fieldFromGrid, meshToGlb, readGlb } from "../mesh";
import type { MeshStats } from "@tessera/proto/generated/tessera/reconstruction/v1/MeshStats";
import { glbType, type ReconstructEvents } from "./event-stream";
import { openGenerativeModel, type GenerativeBackends } from "./generative-backend";
import { backendBroke, modelName, type GenerativeAnswer } from "./generative-contract";
import { phaseProgress } from "./job-phases";
import { meshStatsMessage, sendMeshOutputs } from "./mesh-outputs";
import type { GenerativePlan } from "./reconstruction-plan";

/**
 * TEXT_TO_3D / IMAGE_TO_3D: the model found and checked (before any event), Progress "inference"
 * (0 of 2), the backend's answer, Progress
 * "meshing" (1 of 2), then the mesh's files and the ReconstructResult. A grid is meshed here and
 * its files go out as mesh-outputs.ts orders them; a GLB from the backend is one MESH_GLB.
 */
export async function runGenerative(
  plan: GenerativePlan,
  backends: GenerativeBackends,
  events: ReconstructEvents,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const model = await openGenerativeModel(backends, plan, signal);
  let answer: GenerativeAnswer;
  try {
    await phaseProgress(events, "inference", 0, 2);
    answer = await model.run(signal);
  } finally {
    model.close();
  }
  await phaseProgress(events, "meshing", 1, 2);
  let stats: MeshStats;
  if (answer.kind === "mesh_glb") {
    // A backend's own GLB goes out as it came: the tier checks and measures it, but does not
    // draw its materials, so it comes without point cloud, preview or turntable.
    const summary = await readGlb(answer.glb).catch((error: unknown) => {
      throw backendBroke(
        plan,
        `mesh_glb that is not a GLB (${error instanceof Error ? error.message : String(error)})`,
      );
    });
    await events.artifact({
      kind: "MESH_GLB",
      number: 0,
      contentType: glbType,
      fileName: "mesh.glb",
      bytes: answer.glb,
    });
    stats = meshStatsMessage(summary);
  } else {
    const field = fieldFromGrid(answer.values, answer.side, answer.kind, plan.boundsMin, plan.boundsMax);
    const mesh = await extractMesh(field, {
      keepLargestComponent: true,
      targetTriangles: plan.output.targetTriangles || undefined,
    });
    if (mesh.indices.length === 0) throw backendBroke(plan, `a ${answer.kind} grid without a surface`);
    const glb = await meshToGlb(mesh, {
      unlit: true,
      extras: { method: plan.method, model: modelName(plan), grid: answer.kind, heightField: false },
    });
    signal.throwIfAborted();
    stats = await sendMeshOutputs(mesh, events, {
      glb,
      previewCamera: null,
      turntableFrames: plan.output.turntableFrames,
      texture: null,
      signal,
    });
  }
  await events.result({
    psnr: Number.NaN,
    ssim: Number.NaN,
    per_view: [],
    seconds: (performance.now() - started) / 1000,
    samples_per_second: 0,
    rays_per_second: 0,
    grid_resolution: answer.kind === "mesh_glb" ? 0 : answer.side,
    mesh: stats,
    height_field: false,
  });
}
