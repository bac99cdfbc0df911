import type { ReconstructResult__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructResult";
import type { BlobReferences } from "../../blobs/blob-references";
import type { Prisma, PrismaClient, ReconstructionMethod } from "../../generated/prisma/client";
import type { Logger } from "../../logger";
import { tierModelName } from "../../inference/deployments.service";
import { PermanentJobError, TransientJobError, type JobHandler, type JobOutcome } from "../../jobs/job-kind";
import type { BlobStore } from "../../storage/blob-store";
import { ReconstructionTier } from "../../tier/reconstruction-tier";
import type { TierClient } from "../../tier/tier-client";
import { tierStatus } from "../../training/worker/training-tier";
import type {
  ReconstructionJobEvents,
  ReconstructionJobPayload,
  ReconstructionStepPayload,
} from "../reconstruction-job-kind";
import type { ResolvedReconstructionSettings } from "../reconstruction-settings";
import { ArtifactAssembler } from "./artifact-assembler";
import { readAll, requestMessages, type ModelForRun, type RunInputs } from "./reconstruct-request";
import { trustedGenerativeBackendOf } from "../generative-backend";
import { artifactRow, finite, RunRecorder, type ReconstructionContext } from "./run-recorder";

export interface ReconstructionWorkerDeps {
  prisma: PrismaClient;
  store: BlobStore;
  references: BlobReferences;
  tier: TierClient;
}

/**
 * The "reconstruct-3d" kind's handler: streams the inputs (frames and cameras, an image, a
 * prompt; the checkpoint when resuming) to the tier's Reconstruct, records what comes back while
 * it comes, and commits the metrics and the remaining artifacts with the SUCCEEDED transition.
 */
export function reconstructJobHandler(
  deps: ReconstructionWorkerDeps,
): JobHandler<ReconstructionJobPayload, ReconstructionJobEvents, ReconstructionStepPayload> {
  const tier = new ReconstructionTier(deps.tier);
  return async (context) => {
    const inputs = await loadInputs(deps, context.payload.reconstructionId);
    await context.progress({ phase: "loading", force: true });
    const recorder = new RunRecorder(context, deps.store, deps.references);
    try {
      if (inputs.checkpoint) await recorder.dropPreviewsAfter(inputs.reconstruction.checkpointStep ?? 0);
      const result = await run(tier, deps, inputs, context, recorder);
      return outcome(context.payload.reconstructionId, inputs, result, recorder, deps.references);
    } catch (error) {
      await recorder.releasePending();
      throw failureOf(error, context.signal, inputs.reconstruction.method, context.logger);
    }
  };
}

async function run(
  tier: ReconstructionTier,
  deps: ReconstructionWorkerDeps,
  inputs: RunInputs,
  context: ReconstructionContext,
  recorder: RunRecorder,
): Promise<ReconstructResult__Output> {
  const assembler = new ArtifactAssembler();
  let result: ReconstructResult__Output | null = null;
  for await (const event of tier.reconstruct(requestMessages(inputs, deps.store), context.signal)) {
    if (event.progress) await recorder.progress(event.progress);
    else if (event.artifact) {
      const artifact = assembler.add(event.artifact);
      if (artifact) await recorder.artifact(artifact);
    } else if (event.checkpoint) await recorder.checkpoint(event.checkpoint);
    else if (event.result) result = event.result;
  }
  context.signal.throwIfAborted();
  if (!result) throw new TransientJobError("The inference tier ended the run without a result");
  return result;
}

function outcome(
  id: string,
  inputs: RunInputs,
  result: ReconstructResult__Output,
  recorder: RunRecorder,
  references: BlobReferences,
): JobOutcome {
  const metrics = {
    psnr: finite(result.psnr),
    ssim: finite(result.ssim),
    perView: result.per_view.map((view) => ({
      frame: view.frame,
      psnr: finite(view.psnr),
      ssim: finite(view.ssim),
    })),
    seconds: finite(result.seconds),
    samplesPerSecond: finite(result.samples_per_second),
    raysPerSecond: finite(result.rays_per_second),
    gridResolution: result.grid_resolution || null,
    background: inputs.settings.background,
    heightField: result.height_field,
  };
  const artifacts = [...recorder.pending];
  // The run is done: its checkpoint can never be resumed from, so its blob goes once committed.
  let checkpoint: string | null = null;
  return {
    result: { reconstructionId: id, psnr: metrics.psnr, ssim: metrics.ssim, artifacts: artifacts.length },
    commit: async (tx) => {
      await references.record(tx, artifacts);
      await tx.reconstructionArtifact.createMany({
        data: artifacts.map((artifact) => artifactRow(id, artifact)),
      });
      checkpoint = (
        await tx.reconstruction.findUniqueOrThrow({ where: { id }, select: { checkpointSha256: true } })
      ).checkpointSha256;
      await tx.reconstruction.update({
        where: { id },
        data: {
          checkpointSha256: null,
          checkpointStep: null,
          metrics: metrics as Prisma.InputJsonValue,
          vertexCount: result.mesh?.vertex_count ?? null,
          triangleCount: result.mesh?.triangle_count ?? null,
          meshBoundsMin: result.mesh?.bounds_min ?? [],
          meshBoundsMax: result.mesh?.bounds_max ?? [],
        },
      });
    },
    afterSuccess: async () => {
      if (checkpoint) await references.release([checkpoint]);
    },
  };
}

/** The stored reconstruction and what its method needs, or a PermanentJobError naming what went. */
async function loadInputs(deps: ReconstructionWorkerDeps, id: string): Promise<RunInputs> {
  const reconstruction = await deps.prisma.reconstruction.findUnique({
    where: { id },
    include: { modelVersion: { include: { model: { include: { owner: true } } } } },
  });
  if (!reconstruction) throw new PermanentJobError("The reconstruction was deleted");
  const settings = reconstruction.settings as unknown as ResolvedReconstructionSettings;
  const radianceField = reconstruction.method === "RADIANCE_FIELD";
  let scene: RunInputs["scene"] = null;
  if (radianceField) {
    const row = reconstruction.sceneId
      ? await deps.prisma.scene.findUnique({
          where: { id: reconstruction.sceneId },
          include: { frames: { orderBy: { index: "asc" } } },
        })
      : null;
    if (!row) throw new PermanentJobError("The scene was deleted");
    scene = { boundsMin: row.boundsMin, boundsMax: row.boundsMax, frames: row.frames };
  }
  const version = reconstruction.modelVersion;
  if (reconstruction.method !== "RADIANCE_FIELD" && !version) {
    throw new PermanentJobError("The model version was deleted");
  }
  const needsImage = reconstruction.method === "DEPTH_MESH" || reconstruction.method === "IMAGE_TO_3D";
  if (needsImage && !reconstruction.inputSha256) throw new PermanentJobError("The input image was deleted");
  const image = needsImage ? await readAll(await deps.store.openRead(reconstruction.inputSha256!)) : null;
  const checkpointSize =
    radianceField && reconstruction.checkpointSha256
      ? await deps.store.stat(reconstruction.checkpointSha256)
      : null;
  return {
    reconstruction,
    settings,
    scene,
    model: version ? modelForRun(version) : null,
    image,
    checkpoint: checkpointSize
      ? { sha256: reconstruction.checkpointSha256!, sizeBytes: checkpointSize.sizeBytes }
      : null,
  };
}

/**
 * How a failed run ends: the tier away → retried (its message, which may name tier addresses, is
 * logged, not shown); the tier refusing the request itself (its message is written for the user, a
 * radiance field over its memory limit included) → failed at once; a cancel or takeover → as the
 * platform says.
 */
function failureOf(
  error: unknown,
  signal: AbortSignal,
  method: ReconstructionMethod,
  logger: Logger,
): unknown {
  if (signal.aborted) return error;
  const status = tierStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  switch (status) {
    case "UNAVAILABLE":
    case "DEADLINE_EXCEEDED":
      logger.warn({ err: error }, "the inference tier is unavailable; the reconstruction will be retried");
      return new TransientJobError(TIER_UNAVAILABLE, "UNAVAILABLE", { cause: error });
    // A radiance field's RESOURCE_EXHAUSTED is the tier's memory estimate of this very run, decided
    // from the start message: no retry can pass it. The other methods go through the tier's batcher,
    // whose RESOURCE_EXHAUSTED means "queue full, retry later".
    case "RESOURCE_EXHAUSTED":
      return method === "RADIANCE_FIELD"
        ? new PermanentJobError(message, "RESOURCE_EXHAUSTED")
        : new TransientJobError(message, "RESOURCE_EXHAUSTED", { cause: error });
    case "INVALID_ARGUMENT":
    case "OUT_OF_RANGE":
      return new PermanentJobError(message, "BAD_USER_INPUT");
    case "FAILED_PRECONDITION":
      return new PermanentJobError(message, "FAILED_PRECONDITION");
    default:
      return error;
  }
}

export const TIER_UNAVAILABLE = "The inference tier is unavailable; the run will be retried";

/** The tier's name of the model: its deployment's, or the Triton model its metadata names. */
function modelForRun(version: {
  ordinal: number;
  customMetadata: unknown;
  model: { slug: string; owner: { handle: string; role: string } };
}): ModelForRun {
  const parameters = modelParameters(version.customMetadata);
  const backend = trustedGenerativeBackendOf(version.customMetadata, version.model.owner.role);
  if (backend) return { ...backend, parameters, tritonOnly: true };
  return {
    name: tierModelName(version.model.owner.handle, version.model.slug),
    version: String(version.ordinal),
    parameters,
  };
}

/**
 * What a model version's own metadata says about reading its output: a depth model states whether
 * it answers depth or disparity (most monocular models answer disparity, the tier's default) in
 * `customMetadata.depthKind`.
 */
function modelParameters(metadata: unknown): Record<string, string> {
  const depthKind = (metadata as { depthKind?: unknown } | null)?.depthKind;
  return depthKind === "depth" || depthKind === "disparity" ? { depth_kind: depthKind } : {};
}
