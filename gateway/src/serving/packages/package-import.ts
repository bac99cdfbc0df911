import type { PrismaClient } from "../../generated/prisma/client";
import type { GatewayConfig } from "../../config";
import { AppError, badInput, ErrorCode, failedPrecondition } from "../../errors";
import { ingestFiles, type IncomingFile, type IngestedFile } from "../../blobs/ingest";
import type { BlobReferences } from "../../blobs/blob-references";
import type { FileBackedBlobStore as BlobStore } from "../../storage/file-backed";
import { requireViewer, type Viewer } from "../../users/access";
import { validFilePath } from "../../models/model-files";
import { validSlug } from "../../models/model-validation";
import type { ModelsService } from "../../models/models.service";
import type { UploadModelInput } from "../../models/models.inputs";
import type { Framework, ModelType } from "../../models/models.types";
import { limits } from "../../limits";
import { runOnnx } from "./onnx-run";
import { openPackage, type VerifiedPackage } from "./package-reader";
import { METADATA_FILE, MODEL_FOLDER } from "./package-metadata";
import { outputMismatch } from "./test-pair";

/** ModelVersion.importedPackage as stored (ImportedPackage in GraphQL, importedAt as ISO text). */
export interface ImportedPackageRecord {
  sha256: string;
  name: string;
  version: string;
  author: string | null;
  created: string | null;
  packageVersion: string;
  importedAt: string;
}

/**
 * importModelPackage: the upload is stored only as a temporary blob; the package is checked whole
 * (manifest, hashes, metadata), its model files stored and checked again, its test pair run, and
 * only then registered through the models' own path. Whatever fails releases every blob this
 * import stored, so a refused package leaves no rows and no files.
 */
export class PackageImports {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly models: ModelsService,
    private readonly config: GatewayConfig,
  ) {}

  async import(viewer: Viewer | null, archive: IncomingFile, slug: string | null, signal?: AbortSignal) {
    const user = requireViewer(viewer);
    const requestedSlug = slug === null ? null : validSlug(slug);
    const [stored] = await ingestFiles(this.store, this.references, [archive], {
      maxBytes: this.config.limits.maxUploadBytes,
      checkPath: (path) => path,
      signal,
    });
    const archiveSha256 = stored!.sha256;
    try {
      return await this.store.withLocalFile(archiveSha256, async (archivePath) => {
        const pkg = await openPackage(archivePath, this.config.limits.archive);
        try {
          return await this.register(user, pkg, requestedSlug, archiveSha256, signal);
        } finally {
          pkg.zip.close();
        }
      });
    } finally {
      // Kept only if something else holds the same bytes (the exporter's own download).
      await this.references.release([archiveSha256]);
    }
  }

  private async register(
    user: Viewer,
    pkg: VerifiedPackage,
    requestedSlug: string | null,
    archiveSha256: string,
    signal?: AbortSignal,
  ) {
    const { metadata } = pkg;
    const slug = requestedSlug ?? slugFromMetadata(metadata.raw.slug);
    const existing = await this.prisma.model.findUnique({
      where: { ownerId_slug: { ownerId: user.id, slug } },
      select: { framework: true },
    });
    if (existing && existing.framework !== "ONNX") {
      throw failedPrecondition(
        `Your model "${slug}" is ${existing.framework}; import the ONNX package under another slug`,
        { field: "slug" },
      );
    }
    const metrics = metadata.raw.metrics ?? {};
    const metric = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
    const input: UploadModelInput = {
      slug,
      // A package becomes a new version of an existing model without renaming or retagging it.
      ...(!existing && {
        name: metadata.name,
        description: metadata.description,
        tags: metadata.tags,
        framework: "ONNX" as Framework,
        modelType: metadata.modelType as ModelType,
      }),
      primaryFile: metadata.primaryFile.slice(MODEL_FOLDER.length),
      labels: pkg.categories,
      metrics: {
        trainingAccuracy: metric(metrics.training_accuracy),
        validationAccuracy: metric(metrics.validation_accuracy),
        testAccuracy: metric(metrics.test_accuracy),
        trainingLoss: metric(metrics.training_loss),
      },
    };
    await this.models.precheck(user, input);
    const files = await ingestFiles(
      this.store,
      this.references,
      pkg.modelFiles.map(({ entry, path }) => async () => ({
        path,
        contentType: null,
        stream: await pkg.zip.openEntry(entry),
      })),
      { maxBytes: this.config.limits.maxUploadBytes, checkPath: validFilePath, signal },
    );
    try {
      this.checkStoredHashes(pkg, files);
      await this.runTestPair(pkg, files, signal);
    } catch (error) {
      await this.references.release(files.map((file) => file.sha256));
      throw error;
    }
    const importedPackage: ImportedPackageRecord = {
      sha256: archiveSha256,
      name: metadata.name,
      version: metadata.version,
      author: metadata.author,
      created: metadata.created,
      packageVersion: metadata.raw.package_version,
      importedAt: new Date().toISOString(),
    };
    return this.models.register(user, input, files, { importedPackage: { ...importedPackage } });
  }

  /** The bytes stored are the bytes hashed: the archive is read twice, so both reads are checked. */
  private checkStoredHashes(pkg: VerifiedPackage, files: IngestedFile[]): void {
    pkg.modelFiles.forEach((expected, index) => {
      if (files[index]?.sha256 !== expected.sha256) {
        const file = `${MODEL_FOLDER}${expected.path}`;
        throw badInput(`"${file}" does not match its sha256 in MANIFEST.sha256`, { file });
      }
    });
  }

  private async runTestPair(
    pkg: VerifiedPackage,
    files: IngestedFile[],
    signal?: AbortSignal,
  ): Promise<void> {
    const primaryPath = pkg.metadata.primaryFile;
    const primary = files.find((file) => `${MODEL_FOLDER}${file.path}` === primaryPath)!;
    const feeds = Object.fromEntries(pkg.testInputs.map((input) => [input.name, input.tensor]));
    const run = await this.store.withLocalFile(primary.sha256, (file) =>
      runOnnx(file, feeds, { signal, maxValues: limits.serving.packageTestValues }),
    );
    if (!run.ok) {
      throw badInput(`ONNX Runtime could not run ${primaryPath} on the package's test input: ${run.reason}`, {
        file: primaryPath,
      });
    }
    for (const expected of pkg.testOutputs) {
      const output = run.outputs.find((candidate) => candidate.name === expected.name);
      if (output && !output.tensor && output.values > limits.serving.packageTestValues) {
        throw badInput(
          `${expected.file}: the model's output "${expected.name}" holds ${output.values} values, not the packaged ${expected.tensor.data.length}`,
          { file: expected.file },
        );
      }
      if (!output?.tensor) {
        throw badInput(`${expected.file}: the model has no numeric output "${expected.name}"`, {
          file: expected.file,
        });
      }
      const mismatch = outputMismatch(expected.tensor, output.tensor);
      if (mismatch) {
        throw badInput(
          `${expected.file}: the model's output "${expected.name}" is not the packaged one: ${mismatch}`,
          { file: expected.file },
        );
      }
    }
  }
}

function slugFromMetadata(raw: unknown): string {
  if (typeof raw !== "string") {
    throw badInput(`${METADATA_FILE} has no "slug"; give one with importModelPackage(slug:)`, {
      file: METADATA_FILE,
      field: "slug",
    });
  }
  try {
    return validSlug(raw);
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) {
      throw badInput(`${METADATA_FILE}: ${error.message}`, { file: METADATA_FILE, field: "slug" });
    }
    throw error;
  }
}
