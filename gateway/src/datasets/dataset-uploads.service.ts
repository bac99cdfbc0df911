import type { PrismaClient } from "../generated/prisma/client";
import type { GatewayConfig } from "../config";
import type { FileBackedBlobStore } from "../storage/file-backed";
import type { BlobReferences } from "../blobs/blob-references";
import type { IncomingFile } from "../blobs/ingest";
import { requireViewer, type Viewer } from "../users/access";
import type { DatasetInput, DatasetUploadResult } from "./datasets.types";
import { checkDatasetInput } from "./ingest/dataset-input";
import { createVersion, uploadResult } from "./ingest/create-version";
import { withClassFolderArchive } from "./ingest/class-folder-archive";
import { UploadProgressHub, type UploadProgressSnapshot } from "./ingest/upload-progress";

/**
 * ZIP uploads of class folders. The archive is stored as a temporary blob, its whole central
 * directory is checked against the archive limits, then each class file is decoded once and its
 * bytes stored; one transaction at the end makes the new version visible. If anything fails, every
 * blob this upload stored is released and no row remains. While it runs, the client can follow it
 * by the progress id it chose (`followProgress`).
 */
export class DatasetUploadsService {
  readonly progress = new UploadProgressHub();

  constructor(
    private readonly prisma: PrismaClient,
    readonly store: FileBackedBlobStore,
    readonly references: BlobReferences,
    readonly config: GatewayConfig,
  ) {}

  async uploadZip(
    viewer: Viewer | null,
    input: DatasetInput,
    archive: IncomingFile,
    signal?: AbortSignal,
    progressId?: string | null,
  ): Promise<DatasetUploadResult> {
    const user = requireViewer(viewer);
    const checked = checkDatasetInput(input);
    const progress = this.progress.open(user.id, progressId);
    try {
      const result = await withClassFolderArchive(
        this,
        archive,
        signal,
        async (accepted, skipped) =>
          uploadResult(
            await createVersion(this.prisma, this.references, {
              ownerId: user.id,
              input: checked,
              images: accepted,
              skipped,
            }),
            skipped,
          ),
        progress,
      );
      progress.finish("DONE");
      return result;
    } catch (error) {
      progress.finish("FAILED");
      throw error;
    }
  }

  /** The signed-in user's upload with this progress id: nothing for anyone else's. */
  followProgress(viewer: Viewer | null, progressId: string): AsyncIterableIterator<UploadProgressSnapshot> {
    return this.progress.follow(requireViewer(viewer).id, progressId);
  }
}
