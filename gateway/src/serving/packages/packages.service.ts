import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import type { BlobReferences } from "../../blobs/blob-references";
import type { FileBackedBlobStore as BlobStore } from "../../storage/file-backed";
import type { ModelsService } from "../../models/models.service";
import { stopOnnxRuns } from "./onnx-run";
import { PackageExports } from "./package-export";
import { PackageImports } from "./package-import";

/** .tessera model packages: export a version as one checked file, import one as a new version. */
export class ModelPackagesService {
  readonly exports: PackageExports;
  readonly imports: PackageImports;

  constructor(
    prisma: PrismaClient,
    store: BlobStore,
    references: BlobReferences,
    models: ModelsService,
    config: GatewayConfig,
  ) {
    this.exports = new PackageExports(prisma, store, references, config);
    this.imports = new PackageImports(prisma, store, references, models, config);
  }

  /**
   * On gateway stop (before the HTTP server waits for its requests): kills the ONNX Runtime
   * children of exports and imports in progress, which then fail, and refuses queued ones.
   */
  stop(): void {
    stopOnnxRuns();
  }
}
