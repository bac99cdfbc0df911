import type { Readable } from "node:stream";
import type { FrameInfo } from "@tessera/proto/generated/tessera/reconstruction/v1/FrameInfo";
import type { ReconstructStart } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructStart";
import type { Reconstruction, SceneFrame } from "../../generated/prisma/client";
import { AppError, ErrorCode } from "../../errors";
import { PermanentJobError } from "../../jobs/job-kind";
import type { BlobStore } from "../../storage/blob-store";
import type { ReconstructRequest } from "../../tier/reconstruction-tier";
import { backgroundRgb, type ResolvedReconstructionSettings } from "../reconstruction-settings";
import { frameRoles } from "../frame-roles";

/** The tier takes checkpoint bytes in chunks of at most this much. */
const CHUNK_BYTES = 1024 * 1024;

export interface SceneForRun {
  boundsMin: number[];
  boundsMax: number[];
  frames: SceneFrame[];
}

export interface ModelForRun {
  name: string;
  version: string;
  /** Passed to the model as KServe request parameters (e.g. a depth model's `depth_kind`). */
  parameters: Record<string, string>;
  /** A Triton model an admin's metadata names: the tier must never answer it from a local model. */
  tritonOnly?: boolean;
}

export interface RunInputs {
  reconstruction: Reconstruction;
  settings: ResolvedReconstructionSettings;
  scene: SceneForRun | null;
  model: ModelForRun | null;
  /** DEPTH_MESH, IMAGE_TO_3D: the image's bytes. */
  image: Buffer | null;
  /** Resuming: the stored checkpoint's sha256 and size. */
  checkpoint: { sha256: string; sizeBytes: number } | null;
}

/** The start message: method, frames' cameras and roles, bounds, settings, model, image, prompt. */
export function startMessage(inputs: RunInputs): ReconstructStart {
  const { reconstruction, settings, scene } = inputs;
  const roles = scene ? frameRoles(scene.frames.map((frame) => frame.split)) : [];
  return {
    method: reconstruction.method,
    frames: scene?.frames.map((frame, position): FrameInfo => ({
      index: frame.index,
      role: roles[position] === "HELD_OUT" ? "HELD_OUT" : "TRAIN",
      camera: {
        width: frame.width,
        height: frame.height,
        fx: frame.fx,
        fy: frame.fy,
        cx: frame.cx,
        cy: frame.cy,
        k1: frame.k1,
        k2: frame.k2,
        p1: frame.p1,
        p2: frame.p2,
        transform: frame.transform,
      },
    })),
    bounds_min: scene?.boundsMin ?? [],
    bounds_max: scene?.boundsMax ?? [],
    settings: {
      grid_resolution: settings.gridResolution,
      steps: settings.steps,
      rays_per_batch: settings.raysPerBatch,
      samples_per_ray: settings.samplesPerRay,
      background: backgroundRgb(settings.background),
      seed: settings.seed,
      view_dependent: settings.viewDependent,
      preview_every: settings.previewEvery,
      checkpoint_every: settings.checkpointEvery,
      turntable_frames: settings.turntableFrames,
      target_triangles: settings.targetTriangles,
    },
    threads: settings.threads,
    model: inputs.model && {
      name: inputs.model.name,
      version: inputs.model.version,
      triton_only: inputs.model.tritonOnly ?? false,
    },
    parameters: inputs.model?.parameters ?? {},
    image: inputs.image ?? Buffer.alloc(0),
    prompt: reconstruction.prompt ?? "",
    field_of_view_degrees: settings.fieldOfViewDegrees,
    mesh_cells: settings.meshCells,
    checkpoint_bytes: inputs.checkpoint?.sizeBytes ?? 0,
  };
}

/**
 * The call's messages in the contract's order: the start, one FrameImage per listed frame (read
 * from the blob store one at a time, so a large scene never sits in memory whole), then the
 * checkpoint in chunks. The caller's transport waits for the tier to read each.
 */
export async function* requestMessages(
  inputs: RunInputs,
  store: BlobStore,
): AsyncGenerator<ReconstructRequest> {
  yield { start: startMessage(inputs) };
  for (const frame of inputs.scene?.frames ?? []) {
    yield { frame: { index: frame.index, data: await readFrame(store, frame.sha256) } };
  }
  if (inputs.checkpoint) {
    for await (const data of chunks(await store.openRead(inputs.checkpoint.sha256))) {
      yield { checkpoint: { data } };
    }
  }
}

/** A frame's bytes; its blob gone means the scene was deleted mid-run, which no retry mends. */
async function readFrame(store: BlobStore, sha256: string): Promise<Buffer> {
  try {
    return await readAll(await store.openRead(sha256));
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) {
      throw new PermanentJobError("The scene's photos were deleted");
    }
    throw error;
  }
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

async function* chunks(stream: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const part of stream) {
    let buffer = part as Buffer;
    while (buffer.length > 0) {
      const take = Math.min(CHUNK_BYTES - size, buffer.length);
      pending.push(buffer.subarray(0, take));
      size += take;
      buffer = buffer.subarray(take);
      if (size === CHUNK_BYTES) {
        yield Buffer.concat(pending);
        pending = [];
        size = 0;
      }
    }
  }
  if (size > 0) yield Buffer.concat(pending);
}
