import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import { badInput } from "../../errors";
import { isUuid } from "../../graphql/ids";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import type { BlobReferences } from "../../blobs/blob-references";
import type { IncomingFile } from "../../blobs/ingest";
import { assertCanChange, requireViewer, type Viewer } from "../../users/access";
import { toDatasetVersion } from "../datasets.loader";
import type { DatasetVersion } from "../datasets.types";
import { withClassFolderArchive } from "../ingest/class-folder-archive";
import { insertSamples } from "../ingest/create-version";
import { copyMemberships, writeEdit } from "./write-edit";

/**
 * addSamples: a ZIP of class folders (the uploadDataset layout rules) whose images join a copy of
 * the base version's samples in a new version. Like an upload, nothing of a failed call remains.
 */
export class SampleAdditionsService {
  constructor(
    private readonly prisma: PrismaClient,
    readonly store: FileBackedBlobStore,
    readonly references: BlobReferences,
    readonly config: GatewayConfig,
  ) {}

  async addSamples(
    viewer: Viewer | null,
    datasetId: string,
    archive: IncomingFile,
    baseVersionId: string | null,
    signal?: AbortSignal,
  ): Promise<DatasetVersion> {
    const user = requireViewer(viewer);
    const row = isUuid(datasetId) ? await this.prisma.dataset.findUnique({ where: { id: datasetId } }) : null;
    const dataset = assertCanChange(user, row, `Dataset ${datasetId}`);
    if (baseVersionId !== null) {
      const base = isUuid(baseVersionId)
        ? await this.prisma.datasetVersion.findUnique({
            where: { id: baseVersionId },
            select: { datasetId: true },
          })
        : null;
      if (!base || base.datasetId !== dataset.id) {
        throw badInput(`Version ${baseVersionId} is not a version of dataset ${dataset.id}`, {
          field: "baseVersionId",
        });
      }
    }
    return withClassFolderArchive(this, archive, signal, async (accepted, skipped) => {
      const version = await writeEdit(this.prisma, {
        dataset,
        baseVersionId,
        userId: user.id,
        message: `Added ${accepted.length} sample${accepted.length === 1 ? "" : "s"}`,
        skipped,
        fill: async (tx, versionId, baseId) => {
          await this.references.record(
            tx,
            accepted.map((image) => ({ sha256: image.image.sha256, sizeBytes: image.sizeBytes })),
            { ownerId: dataset.ownerId },
          );
          await copyMemberships(tx, versionId, baseId);
          await insertSamples(tx, dataset.id, versionId, accepted);
        },
      });
      return toDatasetVersion(version);
    });
  }
}
