import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { PrismaClient } from "../generated/prisma/client";
import type { GatewayConfig } from "../config";
import type { Logger } from "../logger";
import type { FileBackedBlobStore } from "../storage/file-backed";
import type { BlobReferences } from "../blobs/blob-references";
import { ingestFiles, type IncomingFile } from "../blobs/ingest";
import { openSafeZip, readZipEntry, type SafeZip, type SafeZipEntry } from "../archives/safe-zip";
import { isHiddenPath, isMacOsMetadata } from "../archives/entry-path";
import { badInput } from "../errors";
import { requireViewer, type Viewer } from "../users/access";
import { datasetImageMaxPixels } from "../datasets/ingest/class-folder-archive";
import { formatBytes } from "../storage/format-bytes";
import { sceneLimits } from "./scene-limits";
import { checkSceneInput } from "./scene-input";
import { sceneBounds } from "./scene-bounds";
import { createSceneRows } from "./create-scene-rows";
import { storeFramePhotos, type StoredFrame } from "./frame-photos";
import { framePhotoPath, locatePoses, parsePoses, type PosesFromArchive } from "./poses/find-poses";
import { findColmap, noPosesMessage, poseWithColmap } from "./poses/colmap-run";
import { toScene } from "./scenes.loader";
import type { SceneInput, SceneUploadResult } from "./scenes.types";

/** Where COLMAP may be: TESSERA_COLMAP_BIN, else `colmap` on PATH. */
export interface ColmapSearch {
  binary?: string;
  path?: string;
}

/**
 * createScene: the archive is stored as a temporary blob and its whole central directory checked
 * (safe-zip) before anything is read; the poses are parsed and checked; each frame's photo is
 * decoded once, composited on the background and stored (PNG and WebP thumbnail); one
 * transaction writes the scene and its frames. On any refusal every blob this upload stored is
 * released and no row remains.
 */
export class SceneUploadsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileBackedBlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
    private readonly colmap: ColmapSearch = {},
    /** Where COLMAP's failures are detailed (the user is told only which step failed). */
    private readonly logger?: Logger,
  ) {}

  async createScene(
    viewer: Viewer | null,
    input: SceneInput,
    archive: IncomingFile,
    signal?: AbortSignal,
  ): Promise<SceneUploadResult> {
    const user = requireViewer(viewer);
    const checked = checkSceneInput(input);
    const [archiveBlob] = await ingestFiles(this.store, this.references, [archive], {
      maxBytes: this.config.limits.maxUploadBytes,
      checkPath: (p) => p,
      signal,
    });
    const stored: string[] = [];
    try {
      const { poses, outcomes } = await this.store.withLocalFile(archiveBlob!.sha256, async (archivePath) => {
        const zip = await openSafeZip(archivePath, this.config.limits.archive);
        try {
          const poses = await this.readPoses(zip, signal);
          const byPath = new Map(zip.entries.map((entry) => [entry.path, entry]));
          const photos = poses.frames.map((listed) => {
            const found = framePhotoPath(poses.folder, listed.filePath, (p) => byPath.has(p));
            return { listed, entry: found ? byPath.get(found)! : null };
          });
          const outcomes = await storeFramePhotos(zip, photos, this.store, stored, {
            background: checked.background,
            maxPixels: datasetImageMaxPixels,
            maxImageBytes: this.config.limits.maxImageBytes,
            signal,
          });
          return { poses, outcomes };
        } finally {
          zip.close();
        }
      });
      const frames = outcomes.flatMap((outcome) => ("stored" in outcome ? [outcome.stored] : []));
      const skipped = [
        ...poses.skipped,
        ...outcomes.flatMap((outcome) => ("skipped" in outcome ? [outcome.skipped] : [])),
      ];
      checkUsable(frames, skipped);
      const scene = await createSceneRows(this.prisma, this.references, {
        ownerId: user.id,
        input: checked,
        format: poses.format,
        aabbScale: poses.aabbScale,
        bounds: sceneBounds(
          frames.map((f) => ({
            transform: f.listed.transform,
            fx: f.camera.fx,
            fy: f.camera.fy,
            width: f.width,
            height: f.height,
          })),
        ),
        frames,
      });
      return { scene: toScene(scene), skipped };
    } catch (error) {
      await this.references.release(stored);
      throw error;
    } finally {
      await this.references.release([archiveBlob!.sha256]);
    }
  }

  private async readPoses(zip: SafeZip, signal?: AbortSignal): Promise<PosesFromArchive> {
    const location = locatePoses(zip.entries.map((entry) => entry.path));
    if (location.kind !== "none") {
      const byPath = new Map(zip.entries.map((entry) => [entry.path, entry]));
      return parsePoses(location, (p) => readTransforms(zip, byPath.get(p)!));
    }
    const colmap = await findColmap(this.colmap.binary, this.colmap.path);
    if (!colmap) throw badInput(noPosesMessage);
    const poses = await poseArchiveWithColmap(zip, colmap, signal, this.logger);
    return { ...poses, folder: "", skipped: [] };
  }
}

async function readTransforms(zip: SafeZip, entry: SafeZipEntry): Promise<Buffer> {
  if (entry.sizeBytes > sceneLimits.transformsBytes) {
    throw badInput(
      `${entry.path} is ${formatBytes(entry.sizeBytes)}; transforms of at most ${formatBytes(sceneLimits.transformsBytes)} are accepted`,
    );
  }
  return readZipEntry(zip, entry);
}

/** The photos (PNG, JPEG) of the archive written to a temporary folder under their archive paths, then posed. */
async function poseArchiveWithColmap(zip: SafeZip, colmap: string, signal?: AbortSignal, logger?: Logger) {
  const work = await mkdtemp(path.join(tmpdir(), "tessera-colmap-"));
  try {
    const images = path.join(work, "images");
    const photos = zip.entries.filter(
      (entry) =>
        /\.(png|jpe?g)$/i.test(entry.path) && !isMacOsMetadata(entry.path) && !isHiddenPath(entry.path),
    );
    if (photos.length < sceneLimits.minFrames) {
      throw badInput(
        `The archive holds ${photos.length} photos and no poses; at least ${sceneLimits.minFrames} are needed`,
      );
    }
    for (const photo of photos) {
      // Entry paths are normalised by safe-zip (no "..", never absolute), so they stay inside.
      const target = path.join(images, photo.path);
      await mkdir(path.dirname(target), { recursive: true });
      await pipeline(await zip.openEntry(photo), createWriteStream(target));
    }
    return await poseWithColmap(colmap, images, path.join(work, "colmap"), signal, logger);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** At least 8 usable frames, all of one size (frames contradicting their own camera's w/h were skipped already). */
function checkUsable(
  frames: readonly StoredFrame[],
  skipped: ReadonlyArray<{ path: string; reason: string }>,
): void {
  if (frames.length < sceneLimits.minFrames) {
    throw badInput(
      `Only ${frames.length} frame(s) have a usable photo; a scene needs at least ${sceneLimits.minFrames} ` +
        `(${skipped.length} skipped)`,
      { skipped },
    );
  }
  const sizes = new Map<string, number>();
  for (const frame of frames) {
    const size = `${frame.width}×${frame.height}`;
    sizes.set(size, (sizes.get(size) ?? 0) + 1);
  }
  if (sizes.size > 1) {
    const counts = [...sizes].map(([size, count]) => `${count} are ${size}`).join(", ");
    throw badInput(`The photos are of mixed sizes (${counts}); every photo of a scene must have one size`);
  }
}
