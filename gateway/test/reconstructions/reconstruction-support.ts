import path from "node:path";
import { Readable } from "node:stream";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import {
  encodePng,
  renderSyntheticScene,
  type SyntheticSceneOptions,
} from "../../../inference/test/helpers/synthetic-scene";
import type { FrameSplit } from "../../src/generated/prisma/client";
import type { StoredBlob } from "../../src/storage/blob-store";
import { LocalBlobStore } from "../../src/storage/local-blob-store";
import type { GraphQLBody, TestGateway } from "../support/gateway";

/** The GraphQL documents and fixtures the reconstruction tests share. */

export const RECONSTRUCTION_FIELDS = `
  id status progress method prompt checkpointStep
  scene { id name }
  metrics { psnr ssim perView { frame psnr ssim } seconds samplesPerSecond gridResolution background heightField }
  artifacts { id kind url sizeBytes sha256 contentType fileName frame step }
  mesh { vertexCount triangleCount bounds { min max } }
  previewUrl error { code message } createdAt startedAt finishedAt
  owner { handle }
  settings { gridResolution steps raysPerBatch samplesPerRay background seed viewDependent turntableFrames targetTriangles previewEvery checkpointEvery threads }
  job { id kind status attempts }`;

export const START_RECONSTRUCTION = `
  mutation ($input: ReconstructionInput!) { startReconstruction(input: $input) { ${RECONSTRUCTION_FIELDS} } }`;

export const RECONSTRUCTION = `
  query ($id: ID!) { reconstruction(id: $id) { ${RECONSTRUCTION_FIELDS} } }`;

export const CANCEL_RECONSTRUCTION = `
  mutation ($id: ID!) { cancelReconstruction(id: $id) { id status error { code message } } }`;

export const RECONSTRUCTION_PROGRESS = `
  subscription ($id: ID!) {
    reconstructionProgress(id: $id) {
      __typename
      ... on ReconstructionStateEvent { seq status progress error { code message } }
      ... on ReconstructionStepEvent { seq step totalSteps loss psnr samplesPerSecond resolution phase }
      ... on ReconstructionPreviewEvent { seq step artifactId url }
    }
  }`;

export interface Artifact {
  id: string;
  kind: string;
  url: string;
  sizeBytes: number;
  sha256: string;
  contentType: string;
  fileName: string;
  frame: number | null;
  step: number | null;
}

export interface Reconstruction {
  id: string;
  status: string;
  progress: number;
  method: string;
  metrics: { psnr: number | null; ssim: number | null; perView: unknown[]; seconds: number | null } | null;
  artifacts: Artifact[];
  mesh: {
    vertexCount: number;
    triangleCount: number;
    bounds: { min: number[]; max: number[] } | null;
  } | null;
  previewUrl: string | null;
  error: { code: string; message: string } | null;
  settings: Record<string, unknown>;
  job: { id: string; kind: string; status: string; attempts: number };
}

export function startReconstruction(
  gateway: TestGateway,
  input: Record<string, unknown>,
  token?: string | null,
): Promise<GraphQLBody<{ startReconstruction: Reconstruction }>> {
  return gateway.gql<{ startReconstruction: Reconstruction }>(START_RECONSTRUCTION, { input }, token);
}

export async function reconstructionOf(
  gateway: TestGateway,
  id: string,
  token?: string,
): Promise<Reconstruction | null> {
  const body = await gateway.gql<{ reconstruction: Reconstruction | null }>(RECONSTRUCTION, { id }, token);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.reconstruction;
}

/** Polls the API until the reconstruction's status satisfies `until`. */
export async function waitForReconstruction(
  gateway: TestGateway,
  id: string,
  token: string,
  until: (status: string) => boolean,
  timeoutMs = 60_000,
): Promise<Reconstruction> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reconstruction = await reconstructionOf(gateway, id, token);
    if (reconstruction && until(reconstruction.status)) return reconstruction;
    if (Date.now() > deadline) throw new Error(`reconstruction ${id} is still ${reconstruction?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const isFinished = (status: string) => ["SUCCEEDED", "FAILED", "CANCELLED"].includes(status);

/** What a refused request must not change: rows of every table it would write, and the blob files. */
export async function storedCounts(gateway: TestGateway) {
  const { prisma } = gateway;
  const [jobs, events, reconstructions, artifacts, blobs] = await Promise.all([
    prisma.job.count(),
    prisma.jobEvent.count(),
    prisma.reconstruction.count(),
    prisma.reconstructionArtifact.count(),
    prisma.blob.count(),
  ]);
  return { jobs, events, reconstructions, artifacts, blobs, blobFiles: await gateway.blobCount() };
}

export async function userId(gateway: TestGateway, handle: string): Promise<string> {
  return (await gateway.prisma.user.findUniqueOrThrow({ where: { handle } })).id;
}

export interface InsertedScene {
  id: string;
  trainFrames: number;
  heldOutFrames: number;
}

/**
 * A scene the project renders itself (inference/test/helpers/synthetic-scene.ts), stored the way
 * createScene stores one: PNG frames in the gateway's blob store, Scene and SceneFrame rows.
 * `splitHeldOut: false` stores the held-out views as TRAIN too (a scene without val/test).
 */
export async function insertSyntheticScene(
  gateway: TestGateway,
  ownerId: string,
  options: Partial<SyntheticSceneOptions> & { splitHeldOut?: boolean; name?: string } = {},
): Promise<InsertedScene> {
  const scene = renderSyntheticScene({
    width: 24,
    height: 24,
    trainViews: 12,
    heldOutViews: 2,
    seed: 7,
    ...options,
  });
  const store = new LocalBlobStore(path.join(gateway.dataDir, "blobs"));
  const frames = [
    ...scene.train.map((frame) => ({ frame, split: "TRAIN" as FrameSplit })),
    ...scene.heldOut.map((frame) => ({
      frame,
      split: (options.splitHeldOut === false ? "TRAIN" : "TEST") as FrameSplit,
    })),
  ];
  const stored: Array<{ frame: (typeof frames)[number]["frame"]; split: FrameSplit; blob: StoredBlob }> = [];
  for (const { frame, split } of frames) {
    const png = encodePng(frame.rgb, frame.camera.width, frame.camera.height);
    stored.push({ frame, split, blob: await store.put(Readable.from([png])) });
  }
  const { width, height } = scene.train[0]!.camera;
  const row = await gateway.prisma.$transaction(async (tx) => {
    await tx.blob.createMany({
      data: stored.map(({ blob }) => ({ sha256: blob.sha256, sizeBytes: BigInt(blob.sizeBytes) })),
      skipDuplicates: true,
    });
    return tx.scene.create({
      data: {
        ownerId,
        name: options.name ?? "synthetic",
        format: "BLENDER",
        width,
        height,
        frameCount: frames.length,
        boundsMin: scene.boundsMin,
        boundsMax: scene.boundsMax,
        sizeBytes: BigInt(stored.reduce((sum, { blob }) => sum + blob.sizeBytes, 0)),
        frames: {
          create: stored.map(({ frame, split, blob }, index) => ({
            index,
            filePath: `./${split.toLowerCase()}/r_${index}`,
            split,
            sha256: blob.sha256,
            thumbnailSha256: blob.sha256,
            width,
            height,
            fx: frame.camera.fx,
            fy: frame.camera.fy,
            cx: frame.camera.cx,
            cy: frame.camera.cy,
            transform: Array.from(frame.camera.cameraToWorld),
          })),
        },
      },
    });
  });
  return { id: row.id, trainFrames: scene.train.length, heldOutFrames: scene.heldOut.length };
}

export type ProgressEvent = { __typename: string; seq: number; [field: string]: unknown };

const JOB_EVENTS = `
  subscription ($jobId: ID!) {
    jobEvents(jobId: $jobId) {
      __typename
      ... on JobStateEvent { seq status }
      ... on ReconstructionStepEvent { seq step totalSteps }
      ... on ReconstructionPreviewEvent { seq step url }
    }
  }`;

/** Subscribes to reconstructionProgress; `ended` resolves when the server completes the stream. */
export function followReconstruction(gateway: TestGateway, id: string, token: string) {
  return follow(gateway, RECONSTRUCTION_PROGRESS, { id }, "reconstructionProgress", token);
}

/** Subscribes to the platform's jobEvents of the reconstruction's job. */
export function followJobEvents(gateway: TestGateway, jobId: string, token: string) {
  return follow(gateway, JOB_EVENTS, { jobId }, "jobEvents", token);
}

function follow(
  gateway: TestGateway,
  query: string,
  variables: Record<string, unknown>,
  field: string,
  token: string,
) {
  const client = createClient({
    url: `${gateway.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const events: ProgressEvent[] = [];
  const errors: unknown[] = [];
  const ended = (async () => {
    try {
      for await (const result of client.iterate<Record<string, ProgressEvent>>({ query, variables })) {
        if (result.errors) errors.push(...result.errors);
        if (result.data) events.push(result.data[field]!);
      }
    } catch (error) {
      errors.push(error);
    } finally {
      await client.dispose();
    }
  })();
  return { events, errors, ended };
}
