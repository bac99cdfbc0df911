import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import type { Logger } from "../../logger";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import type { BlobReferences } from "../../blobs/blob-references";
import { requireViewer, type Viewer } from "../../users/access";
import type { DatasetUploadResult } from "../datasets.types";
import { checkDatasetInput } from "../ingest/dataset-input";
import { importFromHub } from "./hub-dataset-import";
import { DatasetImportSource, type ImportDatasetInput } from "./import-dataset.types";
import { checkSelection } from "./import-selection";
import { unavailableSource } from "./unavailable-sources";
import { importFromUrl } from "./url-dataset-import";

/**
 * Premade dataset imports into a new version (source IMPORT) of the dataset named in the input.
 * A failed import leaves no row, blob or temporary file behind.
 */
export class DatasetImportsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileBackedBlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
    private readonly logger: Logger,
  ) {}

  async importDataset(
    viewer: Viewer | null,
    input: ImportDatasetInput,
    signal?: AbortSignal,
  ): Promise<DatasetUploadResult> {
    const user = requireViewer(viewer);
    const dataset = checkDatasetInput({ name: input.name, description: input.description });
    checkSelection(input);
    const target = {
      prisma: this.prisma,
      store: this.store,
      references: this.references,
      config: this.config,
      logger: this.logger,
    };
    switch (input.source) {
      case DatasetImportSource.HUGGINGFACE:
        return importFromHub(target, user.id, dataset, input, signal);
      case DatasetImportSource.URL:
        return importFromUrl(target, user.id, dataset, input, signal);
      case DatasetImportSource.KAGGLE:
      case DatasetImportSource.TFDS:
        throw unavailableSource(input.source);
    }
  }
}
