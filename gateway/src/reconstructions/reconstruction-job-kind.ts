import type { Prisma } from "../generated/prisma/client";
import { exponentialBackoff, type JobKind } from "../jobs/job-kind";

/** The Job's payload: the Reconstruction row of the same id holds the rest. */
export interface ReconstructionJobPayload {
  reconstructionId: string;
}

/** One optimisation step as the tier reported it (loss, held-out PSNR, speed, grid). */
export interface ReconstructionStepPayload {
  step: number;
  totalSteps: number;
  loss: number | null;
  /** PSNR on a held-out view; null at steps where it was not measured. */
  psnr: number | null;
  samplesPerSecond: number | null;
  /** The current coarse-to-fine stage's grid resolution. */
  resolution: number | null;
  /** The tier's word for what it does: "optimising", "meshing", "rendering", "inference" … */
  phase: string;
}

/** A preview render stored as a ReconstructionArtifact: subscribers get a URL, never the image. */
export interface ReconstructionPreviewPayload {
  step: number;
  artifactId: string;
}

/** The events a reconstruction appends itself (progress and endings are the platform's). */
export interface ReconstructionJobEvents {
  step: ReconstructionStepPayload;
  preview: ReconstructionPreviewPayload;
}

export const RECONSTRUCT_JOB = "reconstruct-3d";

export const reconstructionJobKind: JobKind<ReconstructionJobPayload, ReconstructionJobEvents> = {
  name: RECONSTRUCT_JOB,
  graphqlName: "RECONSTRUCT_3D",
  description:
    "Reconstructs a 3D scene (radiance field from posed photos, height field from one image, or a generative model) and stores its mesh, point cloud, renders and metrics",
  payloadVersion: 1,
  readPayload(stored) {
    const { reconstructionId } = stored as Partial<ReconstructionJobPayload>;
    if (typeof reconstructionId !== "string") {
      throw new Error("A reconstruct-3d payload names its reconstruction");
    }
    return { reconstructionId };
  },
  // Each resume (after a worker or the tier died) counts as an attempt too.
  maxAttempts: 5,
  retryDelayMs: exponentialBackoff(10_000, 120_000),
  checkpoint:
    "the radiance field's latest state the tier sent (Reconstruction.checkpointSha256 and checkpointStep)",
  eventTypes: ["step", "preview"],
};

/**
 * The kind's finish hook (FAILED or CANCELLED, in the finishing transaction): a finished run is
 * never resumed, so its checkpoint columns are cleared. The hook runs inside the transaction, so
 * the blob itself is left to the orphan sweep (BlobReferences.releaseUnreferenced), which finds it
 * unreferenced once this commits.
 */
export async function clearCheckpoint(tx: Prisma.TransactionClient, jobId: string): Promise<void> {
  await tx.reconstruction.updateMany({
    where: { id: jobId },
    data: { checkpointSha256: null, checkpointStep: null },
  });
}
