import type {
  Job as JobRow,
  Reconstruction as ReconstructionRow,
  ReconstructionArtifact as ArtifactRow,
} from "../generated/prisma/client";
import type { JobStatus } from "../jobs/jobs.types";
import type { ResolvedReconstructionSettings } from "./reconstruction-settings";
import type { Reconstruction, ReconstructionArtifact, ReconstructionMetrics } from "./reconstructions.types";

export type ReconstructionWithJob = ReconstructionRow & { job: JobRow };

export function toReconstruction(row: ReconstructionWithJob): Reconstruction {
  const { job } = row;
  return {
    id: row.id,
    status: job.status as JobStatus,
    progress: job.progress,
    method: row.method,
    metrics: (row.metrics as unknown as ReconstructionMetrics | null) ?? null,
    mesh:
      row.vertexCount === null || row.triangleCount === null
        ? null
        : {
            vertexCount: row.vertexCount,
            triangleCount: row.triangleCount,
            bounds:
              row.meshBoundsMin.length === 3 && row.meshBoundsMax.length === 3
                ? { min: row.meshBoundsMin, max: row.meshBoundsMax }
                : null,
          },
    error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? "" } : null,
    settings: row.settings as unknown as ResolvedReconstructionSettings,
    prompt: row.prompt,
    checkpointStep: row.checkpointStep,
    createdAt: row.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    ownerId: row.ownerId,
    sceneId: row.sceneId,
    modelVersionId: row.modelVersionId,
    jobRow: job,
  };
}

export function toArtifact(row: ArtifactRow): ReconstructionArtifact {
  return {
    id: row.id,
    kind: row.kind,
    sizeBytes: Number(row.sizeBytes),
    sha256: row.sha256,
    contentType: row.contentType,
    fileName: row.fileName,
    frame: row.frame,
    step: row.step,
    createdAt: row.createdAt,
  };
}

/**
 * The picture a list shows for a reconstruction: its latest preview, else the first turntable
 * frame, else the first render (DEPTH_MESH and generative runs make no previews).
 */
export function previewOf(artifacts: readonly ReconstructionArtifact[]): ReconstructionArtifact | null {
  const previews = artifacts.filter((artifact) => artifact.kind === "PREVIEW_PNG");
  if (previews.length > 0)
    return previews.reduce((latest, next) => ((next.step ?? 0) >= (latest.step ?? 0) ? next : latest));
  return (
    artifacts.find((artifact) => artifact.kind === "TURNTABLE_PNG") ??
    artifacts.find((artifact) => artifact.kind === "RENDER_PNG") ??
    null
  );
}
