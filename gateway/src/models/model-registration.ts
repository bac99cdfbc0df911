import type { ModelVersion, PrismaClient } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { badInput, conflict } from "../errors";
import type { FileBackedBlobStore as BlobStore } from "../storage/file-backed";
import type { BlobReferences } from "../blobs/blob-references";
import type { IngestedFile } from "../blobs/ingest";
import { isUniqueViolation } from "../users/users.service";
import type { Viewer } from "../users/access";
import { inspectOnnx } from "./onnx-inspect";
import { choosePrimaryFile, contentTypeOf, detectFramework, fileTypeOf } from "./model-files";
import type { UploadModelInput } from "./models.inputs";
import { limits } from "../limits";
import {
  validDependencies,
  validJsonObject,
  validJsonSize,
  validLabels,
  validMetric,
  validName,
  validSlug,
  validTags,
  validText,
  validVersionName,
} from "./model-validation";
import type { TensorSpec } from "./models.types";

interface Inspected {
  inputs?: TensorSpec[];
  outputs?: TensorSpec[];
  inputShape?: unknown;
  outputShape?: unknown;
  opset?: number | null;
  numParameters?: number | null;
  labels?: string[];
  validation: "UNCHECKED" | "VALID" | "INVALID";
  invalidReason?: string;
}

/** What only some callers set on the new version, in the same transaction. */
export interface RegistrationExtra {
  /** importModelPackage's record of the package (ModelVersion.importedPackage). */
  importedPackage?: Prisma.InputJsonObject;
}

/** A new version, and whether the upload made its (existing) model public or private. */
export interface Registered {
  version: ModelVersion;
  model: { id: string; isPublic: boolean };
  /** The model's visibility before the upload; null when the upload created the model. */
  wasPublic: boolean | null;
}

/**
 * Turns files already in the blob store into a new immutable version: validates the input, reads
 * an ONNX primary file, then writes model, version, files and blob rows in one transaction. The
 * caller releases the blobs if this throws.
 */
export class ModelRegistration {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
  ) {}

  /** Everything about the input that can be refused before any byte is stored. */
  async precheck(viewer: Viewer, input: UploadModelInput): Promise<void> {
    const slug = validSlug(input.slug);
    modelFieldsOf(input);
    versionMetadata(input, null);
    if (!input.version) return;
    const existing = await this.prisma.modelVersion.findFirst({
      where: { version: validVersionName(input.version), model: { ownerId: viewer.id, slug } },
    });
    if (existing)
      throw conflict(`Model "${slug}" already has a version "${input.version}"`, { field: "version" });
  }

  async register(
    viewer: Viewer,
    input: UploadModelInput,
    files: IngestedFile[],
    extra: RegistrationExtra = {},
  ): Promise<Registered> {
    const slug = validSlug(input.slug);
    const versionName = input.version ? validVersionName(input.version) : null;
    if (files.length === 0) throw badInput("A version needs at least one file", { field: "files" });
    const paths = files.map((f) => f.path);
    if (input.primaryFile && !paths.includes(input.primaryFile)) {
      throw badInput(
        `primaryFile "${input.primaryFile}" is not among the uploaded files: ${paths.slice(0, 10).join(", ")}`,
        {
          field: "primaryFile",
        },
      );
    }
    const detected = detectFramework(input.primaryFile ?? null, paths);
    const framework = input.framework ?? detected;
    if (framework === "ENSEMBLE" || framework === "REMOTE") {
      throw badInput(`${framework} versions come from createEnsemble or registerRemoteModel, not an upload`, {
        field: "framework",
      });
    }
    if (!framework) {
      throw badInput(
        `Could not tell the framework from the file names (${paths.slice(0, 5).join(", ")}); set "framework" (e.g. OTHER)`,
        { field: "framework" },
      );
    }
    const primaryPath = input.primaryFile ?? choosePrimaryFile(paths, framework);
    const primary = files.find((f) => f.path === primaryPath)!;
    const inspected = primaryPath.toLowerCase().endsWith(".onnx")
      ? await this.inspect(primary.sha256, primaryPath)
      : null;
    const metadata = versionMetadata(input, inspected);
    const modelFields = modelFieldsOf(input);
    const sizeBytes = files.reduce((sum, f) => sum + f.sizeBytes, 0);

    try {
      return await this.prisma.$transaction(
        async (tx) => {
          // Serialises uploads to one model so version numbers are assigned without gaps or races.
          await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`model:${viewer.id}:${slug}`}, 0))::text`;
          // `isPublic` in the input changes an existing model's visibility: the caller announces it.
          const before = await tx.model.findUnique({
            where: { ownerId_slug: { ownerId: viewer.id, slug } },
            select: { isPublic: true, framework: true },
          });
          if (before?.framework === "ENSEMBLE" || before?.framework === "REMOTE") {
            throw conflict(
              `"${slug}" is one of your ${before.framework} models; upload files under another slug`,
              {
                field: "slug",
              },
            );
          }
          const model = await tx.model.upsert({
            where: { ownerId_slug: { ownerId: viewer.id, slug } },
            create: { ...modelFields, ownerId: viewer.id, slug, name: modelFields.name ?? slug, framework },
            update: { ...modelFields, framework: input.framework ?? undefined },
          });
          const ordinal = await nextOrdinal(tx, model.id);
          const version = versionName ?? (await nextFreeName(tx, model.id, ordinal));
          const taken = await tx.modelVersion.findUnique({
            where: { modelId_version: { modelId: model.id, version } },
          });
          if (taken)
            throw conflict(`Model "${slug}" already has a version "${version}"`, { field: "version" });
          await this.references.record(tx, files, { ownerId: viewer.id });
          const created = await tx.modelVersion.create({
            data: {
              ...metadata,
              modelId: model.id,
              version,
              ordinal,
              createdById: viewer.id,
              sizeBytes: BigInt(sizeBytes),
              ...(extra.importedPackage && { importedPackage: extra.importedPackage }),
              files: {
                create: files.map((f) => ({
                  path: f.path,
                  sizeBytes: BigInt(f.sizeBytes),
                  sha256: f.sha256,
                  contentType: f.contentType ?? contentTypeOf(f.path),
                  fileType: fileTypeOf(f.path),
                  isPrimary: f.path === primaryPath,
                })),
              },
            },
          });
          return {
            version: created,
            model: { id: model.id, isPublic: model.isPublic },
            wasPublic: before?.isPublic ?? null,
          };
        },
        { timeout: 60_000 },
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Model "${slug}" changed while uploading; try again`);
      throw error;
    }
  }

  /** Reasons name the file as the user uploaded it, not the blob it is stored as. */
  private async inspect(sha256: string, displayName: string): Promise<Inspected> {
    const result = await this.store.withLocalFile(sha256, (file) => inspectOnnx(file, { displayName }));
    if (!result.valid) return { validation: "INVALID", invalidReason: result.reason };
    const spec = (t: { name: string; dataType: string; shape: Array<number | string> }): TensorSpec => ({
      name: t.name,
      dataType: t.dataType,
      shape: t.shape.map((d) => (typeof d === "number" && d > 0 ? d : -1)),
      dimensions: t.shape.map(String),
    });
    const inputs = result.inputs.map(spec);
    const outputs = result.outputs.map(spec);
    return {
      inputs,
      outputs,
      inputShape: inputs[0]?.shape ?? null,
      outputShape: outputs[0]?.shape ?? null,
      opset: result.opset ?? null,
      numParameters: result.numParameters,
      labels: result.labels,
      validation: "VALID",
    };
  }
}

/** The ordinal a model's next version takes: one past its highest. */
export async function nextOrdinal(tx: Prisma.TransactionClient, modelId: string): Promise<number> {
  const last = await tx.modelVersion.findFirst({ where: { modelId }, orderBy: { ordinal: "desc" } });
  return (last?.ordinal ?? 0) + 1;
}

/**
 * "v<ordinal>" unless a user already named an earlier version that way. Every path that adds a
 * version (uploads, ensembles, remote models) names it here, inside its transaction.
 */
export async function nextFreeName(
  tx: Prisma.TransactionClient,
  modelId: string,
  ordinal: number,
): Promise<string> {
  for (let n = ordinal; ; n++) {
    const name = `v${n}`;
    const taken = await tx.modelVersion.findUnique({
      where: { modelId_version: { modelId, version: name } },
    });
    if (!taken) return name;
  }
}

function modelFieldsOf(input: UploadModelInput) {
  return {
    name: validName(input.name),
    description: validText(input.description, "description", limits.descriptionLength) ?? undefined,
    modelType: input.modelType ?? undefined,
    algorithm: validText(input.algorithm, "algorithm") ?? undefined,
    tags: validTags(input.tags),
    isPublic: input.isPublic ?? undefined,
  };
}

function versionMetadata(input: UploadModelInput, inspected: Inspected | null) {
  const json = (value: unknown) =>
    value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
  const metrics = input.metrics ?? {};
  const numParameters = input.numParameters ?? inspected?.numParameters ?? null;
  return {
    inputs: json(inspected?.inputs),
    outputs: json(inspected?.outputs),
    inputShape: json(validJsonSize(input.inputShape, "inputShape") ?? inspected?.inputShape),
    outputShape: json(validJsonSize(input.outputShape, "outputShape") ?? inspected?.outputShape),
    opset: inspected?.opset ?? null,
    numParameters: numParameters === null ? null : BigInt(Math.round(numParameters)),
    labels: validLabels(input.labels) ?? inspected?.labels ?? [],
    trainingAccuracy: validMetric(metrics.trainingAccuracy, "trainingAccuracy"),
    validationAccuracy: validMetric(metrics.validationAccuracy, "validationAccuracy"),
    testAccuracy: validMetric(metrics.testAccuracy, "testAccuracy"),
    trainingLoss: validMetric(metrics.trainingLoss, "trainingLoss"),
    metricsExtra: json(validJsonObject(metrics.extra, "metrics.extra")),
    pythonVersion: validText(input.pythonVersion, "pythonVersion") ?? null,
    dependencies: validDependencies(input.dependencies) ?? [],
    hardwareRequirements: json(validJsonObject(input.hardwareRequirements, "hardwareRequirements")),
    customMetadata: json(validJsonObject(input.customMetadata, "customMetadata")),
    isProductionReady: input.isProductionReady ?? false,
    validation: inspected?.validation ?? "UNCHECKED",
    invalidReason: inspected?.invalidReason ?? null,
  };
}
