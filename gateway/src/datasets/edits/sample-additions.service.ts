import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import { badInput } from "../../errors";
import { isUuid } from "../../graphql/ids";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import type { BlobReferences } from "../../blobs/blob-references";
import { ingestFiles, type IncomingFile } from "../../blobs/ingest";
import { openSafeZip } from "../../archives/safe-zip";
import { assertCanChange, requireViewer, type Viewer } from "../../users/access";
import { toDatasetVersion } from "../datasets.loader";
import type { DatasetVersion, SkippedFile } from "../datasets.types";
import { datasetImageMaxPixels } from "../dataset-uploads.service";
import { planArchiveLayout } from "../ingest/archive-layout";
import { ingestImages, IngestFailure, type AcceptedImage } from "../ingest/ingest-images";
import { insertSamples } from "../ingest/create-version";
import { copyMemberships, writeEdit } from "./write-edit";

/** Images decoded at once, as for ZIP uploads (see ingestImages). */
const ingestConcurrency = 4;

/**
 * addSamples: a ZIP of class folders (the uploadDataset layout rules) whose images join a copy of
 * the base version's samples in a new version. Like an upload, nothing of a failed call remains.
 */
export class SampleAdditionsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileBackedBlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
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
    const [stored] = await ingestFiles(this.store, this.references, [archive], {
      maxBytes: this.config.limits.maxUploadBytes,
      checkPath: (path) => path,
      signal,
    });
    const archiveBlob = stored!.sha256;
    let imageBlobs: string[] = [];
    try {
      const zip = await openSafeZip(this.store.pathOf(archiveBlob), this.config.limits.archive);
      let accepted: AcceptedImage[];
      let skipped: SkippedFile[];
      try {
        const layout = planArchiveLayout(zip.entries);
        const ingested = await ingestImages(zip, layout.files, this.store, {
          maxPixels: datasetImageMaxPixels,
          maxImageBytes: this.config.limits.maxImageBytes,
          concurrency: ingestConcurrency,
          signal,
        });
        imageBlobs = ingested.stored;
        accepted = ingested.accepted;
        skipped = [...layout.skipped, ...ingested.skipped];
      } catch (error) {
        if (error instanceof IngestFailure) {
          imageBlobs = error.stored;
          throw error.error;
        }
        throw error;
      } finally {
        zip.close();
      }
      if (accepted.length === 0) {
        throw badInput(
          `The archive holds no valid image to add: expected class folders of JPEG, PNG, WebP or GIF files; ` +
            `${skipped.length} file(s) were skipped`,
          { skipped },
        );
      }
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
          );
          await copyMemberships(tx, versionId, baseId);
          await insertSamples(tx, dataset.id, versionId, accepted);
        },
      });
      return toDatasetVersion(version);
    } catch (error) {
      await this.references.release(imageBlobs);
      throw error;
    } finally {
      await this.references.release([archiveBlob]);
    }
  }
}
