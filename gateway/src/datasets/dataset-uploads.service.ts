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

/**
 * ZIP uploads of class folders. The archive is stored as a temporary blob, its whole central
 * directory is checked against the archive limits, then each class file is decoded once and its
 * bytes stored; one transaction at the end makes the new version visible. If anything fails, every
 * blob this upload stored is released and no row remains.
 */
export class DatasetUploadsService {
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
  ): Promise<DatasetUploadResult> {
    const user = requireViewer(viewer);
    const checked = checkDatasetInput(input);
    return withClassFolderArchive(this, archive, signal, async (accepted, skipped) => {
      return uploadResult(
        await createVersion(this.prisma, this.references, {
          ownerId: user.id,
          input: checked,
          images: accepted,
          skipped,
        }),
        skipped,
      );
    });
  }
}
