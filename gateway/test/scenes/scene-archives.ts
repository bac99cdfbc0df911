import sharp from "sharp";
import { expect } from "vitest";
import { startTestGateway, type GraphQLBody, type TestGateway } from "../support/gateway";
import { zipDatasetFiles } from "../support/texture-dataset";
import { ringOfCameras } from "./poses/pose-fixtures";

export const CREATE_SCENE = `
  mutation ($input: SceneInput!, $archive: Upload!) {
    createScene(input: $input, archive: $archive) {
      scene { id name description public background format width height frameCount aabbScale sizeBytes }
      skipped { path reason }
    }
  }`;

export interface CreatedScene {
  scene: {
    id: string;
    name: string;
    description: string | null;
    public: boolean;
    background: string;
    format: string;
    width: number;
    height: number;
    frameCount: number;
    aabbScale: number | null;
    sizeBytes: number;
  };
  skipped: Array<{ path: string; reason: string }>;
}

export type ArchiveFiles = Record<string, Buffer | object>;

/** A ZIP of `files` (objects become JSON) built with the gateway's own writer. */
export function zipScene(files: ArchiveFiles): Promise<Buffer> {
  return zipDatasetFiles(
    Object.entries(files).map(([path, content]) => ({
      path,
      bytes: Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content)),
    })),
  );
}

export function postScene(
  gateway: TestGateway,
  input: Record<string, unknown>,
  zip: Buffer,
  token?: string | null,
): Promise<GraphQLBody<{ createScene: CreatedScene }>> {
  return gateway.upload(
    CREATE_SCENE,
    { input },
    [{ variable: "archive", filename: "scene.zip", content: zip, contentType: "application/zip" }],
    token,
  );
}

export async function createScene(
  gateway: TestGateway,
  input: Record<string, unknown>,
  files: ArchiveFiles,
  token?: string,
) {
  const body = await postScene(gateway, input, await zipScene(files), token);
  expect(body.errors).toBeUndefined();
  return body.data!.createScene;
}

/** A flat-colour photo; `alpha` < 255 makes it RGBA. */
export function photo(
  width: number,
  height: number,
  colour: [number, number, number],
  alpha = 255,
  format: "png" | "jpeg" = "png",
) {
  const image = sharp({
    create: {
      width,
      height,
      channels: alpha < 255 ? 4 : 3,
      background: { r: colour[0], g: colour[1], b: colour[2], alpha: alpha / 255 },
    },
  });
  return format === "png" ? image.png().toBuffer() : image.jpeg().toBuffer();
}

/** A NeRF-synthetic archive: `count` frames on a ring, all in transforms_train.json, photos named `train/r_<i>.png`. */
export async function blenderScene(
  count: number,
  makePhoto: (index: number) => Promise<Buffer>,
  extra: object = {},
): Promise<ArchiveFiles> {
  const ring = ringOfCameras(count, 4);
  const files: ArchiveFiles = {
    "transforms_train.json": {
      camera_angle_x: 0.6911112070083618,
      frames: ring.map((matrix, i) => ({ file_path: `./train/r_${i}`, transform_matrix: matrix })),
      ...extra,
    },
  };
  for (let i = 0; i < count; i += 1) files[`train/r_${i}.png`] = await makePhoto(i);
  return files;
}

/** Everything a scene upload may leave behind: a refused one must leave all of it unchanged. */
export async function storedSceneState(gateway: TestGateway) {
  const { prisma } = gateway;
  const [scenes, frames, blobs] = await Promise.all([
    prisma.scene.count(),
    prisma.sceneFrame.count(),
    prisma.blob.count(),
  ]);
  return {
    scenes,
    frames,
    blobs,
    blobFiles: await gateway.blobCount(),
    tempFiles: await gateway.tempFileCount(),
  };
}

/**
 * A gateway for scene tests. Scenes never call the inference tier, so it is pointed at an address
 * nothing answers instead of starting one (a process less on a 2-core machine). COLMAP is looked
 * for at `colmap` only (by default where it cannot be), so no test depends on the host's.
 */
export function startSceneGateway(colmap = "/nonexistent/colmap"): Promise<TestGateway> {
  return startTestGateway({ env: { INFERENCE_URL: "127.0.0.1:9", TESSERA_COLMAP_BIN: colmap } });
}
