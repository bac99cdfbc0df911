import type pg from "pg";
import type { PrismaClient } from "../generated/prisma/client";
import type { GatewayConfig } from "../config";
import { badInput, notFound } from "../errors";
import type { FileBackedBlobStore as BlobStore } from "../storage/file-backed";
import type { BlobReferences } from "../blobs/blob-references";
import { ingestFiles, type IncomingFile, type IngestedFile } from "../blobs/ingest";
import { assertCanChange, canSee, requireViewer, type Viewer } from "../users/access";
import { isUuid } from "../graphql/ids";
import { ModelRegistration, type Registered, type RegistrationExtra } from "./model-registration";
import { limits } from "../limits";
import {
  validAlias,
  validDependencies,
  validJsonObject,
  validJsonSize,
  validLabels,
  validMetric,
  validName,
  validTags,
  validText,
} from "./model-validation";
import { validFilePath } from "./model-files";
import { archiveFiles } from "./model-archive";
import type { ModelPatch, ModelVersionPatch, UploadModelInput } from "./models.inputs";
import { toModel, toModelVersion } from "./model-rows";
import { ModelListQueries, type ModelListArgs, type ModelListPage } from "./models.query";
import { loadModelTree, type TreeDepth } from "./model-list-tree";
import type { ModelLoaders } from "./models.loader";
import { Prisma } from "../generated/prisma/client";

/** The model that versions were deleted from (it may itself be gone). */
export interface DeletedFrom {
  id: string;
  ownerId: string;
  slug: string;
}

export class ModelsService {
  private readonly registration: ModelRegistration;
  private readonly lists: ModelListQueries;
  private readonly deletionListeners: Array<(model: DeletedFrom) => Promise<void>> = [];
  private readonly aliasListeners: Array<
    (modelId: string, alias: string, versionId: string) => Promise<void>
  > = [];
  private readonly visibilityListeners: Array<(modelId: string) => void> = [];
  private readonly deletionChecks: Array<
    (viewer: Viewer, target: { versionId: string } | { modelId: string }) => Promise<void>
  > = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
    /** For the lists' hand-written SQL (models.query.ts, model-list-tree.ts). */
    private readonly listPool: pg.Pool,
  ) {
    this.registration = new ModelRegistration(prisma, store, references);
    this.lists = new ModelListQueries(listPool);
  }

  /** The models the viewer can see, filtered, searched and paged; read as the query's fields ask. */
  list(viewer: Viewer | null, args: ModelListArgs): ModelListPage {
    return this.lists.list(viewer, args);
  }

  /**
   * A page's models (by id, in order; null for an id that is gone) with their versions and files
   * as `depth` asks, in one statement; primed into `loaders` so the fields below read no more.
   */
  listTree(ids: readonly string[], depth: TreeDepth, loaders: ModelLoaders) {
    return loadModelTree(this.listPool, loaders, ids, depth);
  }

  async uploadFiles(
    viewer: Viewer | null,
    input: UploadModelInput,
    files: IncomingFile[],
    signal?: AbortSignal,
  ) {
    const user = requireViewer(viewer);
    if (files.length === 0) throw badInput("Send at least one file", { field: "files" });
    if (files.length > this.config.limits.maxFilesPerUpload) {
      throw badInput(`At most ${this.config.limits.maxFilesPerUpload} files per upload`, { field: "files" });
    }
    await this.registration.precheck(user, input);
    const ingested = await ingestFiles(this.store, this.references, files, {
      maxBytes: this.config.limits.maxUploadBytes,
      checkPath: validFilePath,
      signal,
    });
    return this.register(user, input, ingested);
  }

  async uploadArchive(
    viewer: Viewer | null,
    input: UploadModelInput,
    archive: IncomingFile,
    preserveStructure: boolean,
    signal?: AbortSignal,
  ) {
    const user = requireViewer(viewer);
    await this.registration.precheck(user, input);
    const [stored] = await ingestFiles(this.store, this.references, [archive], {
      maxBytes: this.config.limits.maxUploadBytes,
      checkPath: (p) => p,
      signal,
    });
    const archiveBlob = stored!.sha256;
    try {
      const ingested = await this.store.withLocalFile(archiveBlob, (archivePath) =>
        archiveFiles(archivePath, this.config.limits.archive, preserveStructure, (files) =>
          ingestFiles(this.store, this.references, files, {
            maxBytes: this.config.limits.maxUploadBytes,
            checkPath: validFilePath,
            signal,
          }),
        ),
      );
      return await this.register(user, input, ingested);
    } finally {
      // The archive itself is not kept; its contents are stored file by file.
      await this.references.release([archiveBlob]);
    }
  }

  /** Registers files already in the blob store (from an upload or an import); releases them on failure. */
  async register(viewer: Viewer, input: UploadModelInput, files: IngestedFile[], extra?: RegistrationExtra) {
    let registered: Registered;
    try {
      registered = await this.registration.register(viewer, input, files, extra);
    } catch (error) {
      await this.references.release(files.map((f) => f.sha256));
      throw error;
    }
    // An upload's `isPublic` changes an existing model like `updateModel` does.
    this.visibilityWritten(registered.wasPublic, registered.model);
    return toModelVersion(registered.version);
  }

  async precheck(viewer: Viewer, input: UploadModelInput) {
    await this.registration.precheck(viewer, input);
  }

  async findModel(
    viewer: Viewer | null,
    where: { id?: string | null; owner?: string | null; slug?: string | null },
  ) {
    if (where.id) {
      if (!isUuid(where.id)) return null;
      const row = await this.prisma.model.findUnique({ where: { id: where.id } });
      return row && canSee(viewer, row) ? toModel(row) : null;
    }
    if (!where.slug) throw badInput('Give either "id", or "slug" (and optionally "owner")');
    const owner = where.owner ?? requireViewer(viewer).handle;
    const row = await this.prisma.model.findFirst({ where: { slug: where.slug, owner: { handle: owner } } });
    return row && canSee(viewer, row) ? toModel(row) : null;
  }

  async findVersion(viewer: Viewer | null, id: string) {
    if (!isUuid(id)) return null;
    const row = await this.prisma.modelVersion.findUnique({ where: { id }, include: { model: true } });
    return row && canSee(viewer, row.model) ? toModelVersion(row) : null;
  }

  async updateModel(viewer: Viewer | null, id: string, patch: ModelPatch) {
    const model = await this.changeableModel(requireViewer(viewer), id);
    const row = await this.prisma.model.update({
      where: { id: model.id },
      data: {
        name: validName(patch.name),
        description: validText(patch.description, "description", limits.descriptionLength),
        modelType: patch.modelType ?? undefined,
        algorithm: validText(patch.algorithm, "algorithm"),
        tags: validTags(patch.tags),
        isPublic: patch.isPublic ?? undefined,
      },
    });
    this.visibilityWritten(model.isPublic, row);
    return toModel(row);
  }

  async updateVersion(viewer: Viewer | null, id: string, patch: ModelVersionPatch) {
    const version = await this.changeableVersion(requireViewer(viewer), id);
    const json = (value: unknown, field: string) =>
      value === undefined
        ? undefined
        : value === null
          ? Prisma.DbNull
          : (validJsonObject(value, field) as Prisma.InputJsonValue);
    const shape = (value: unknown, field: string) =>
      value === undefined
        ? undefined
        : value === null
          ? Prisma.DbNull
          : (validJsonSize(value, field) as Prisma.InputJsonValue);
    const metrics = patch.metrics;
    const row = await this.prisma.modelVersion.update({
      where: { id: version.id },
      data: {
        labels: validLabels(patch.labels),
        inputShape: shape(patch.inputShape, "inputShape"),
        outputShape: shape(patch.outputShape, "outputShape"),
        pythonVersion: validText(patch.pythonVersion, "pythonVersion"),
        dependencies: validDependencies(patch.dependencies),
        hardwareRequirements: json(patch.hardwareRequirements, "hardwareRequirements"),
        customMetadata: json(patch.customMetadata, "customMetadata"),
        isActive: patch.isActive ?? undefined,
        isProductionReady: patch.isProductionReady ?? undefined,
        ...(metrics && {
          trainingAccuracy: validMetric(metrics.trainingAccuracy, "trainingAccuracy"),
          validationAccuracy: validMetric(metrics.validationAccuracy, "validationAccuracy"),
          testAccuracy: validMetric(metrics.testAccuracy, "testAccuracy"),
          trainingLoss: validMetric(metrics.trainingLoss, "trainingLoss"),
          metricsExtra: json(metrics.extra, "metrics.extra"),
        }),
      },
    });
    return toModelVersion(row);
  }

  async setAlias(viewer: Viewer | null, modelId: string, alias: string, versionId: string) {
    const model = await this.changeableModel(requireViewer(viewer), modelId);
    const name = validAlias(alias);
    const version = isUuid(versionId)
      ? await this.prisma.modelVersion.findFirst({ where: { id: versionId, modelId: model.id } })
      : null;
    if (!version) throw notFound(`Version ${versionId} of model "${model.slug}"`);
    await this.prisma.modelAlias.upsert({
      where: { modelId_alias: { modelId: model.id, alias: name } },
      create: { modelId: model.id, alias: name, versionId: version.id },
      update: { versionId: version.id },
    });
    for (const listener of this.aliasListeners) await listener(model.id, name, version.id);
    return toModel(model);
  }

  /** Called before a version or a model is deleted; throws to refuse (e.g. an ensemble uses it). */
  beforeDeleting(
    check: (viewer: Viewer, target: { versionId: string } | { modelId: string }) => Promise<void>,
  ): void {
    this.deletionChecks.push(check);
  }

  /** Called after versions of a model were deleted, e.g. so the tiers stop serving them. */
  onVersionsDeleted(listener: (model: DeletedFrom) => Promise<void>): void {
    this.deletionListeners.push(listener);
  }

  /**
   * Called after a model became public or private, e.g. so what is served from memory is checked
   * again; by `visibilityWritten`, the one place every write of `isPublic` reports to.
   */
  onVisibilityChanged(listener: (modelId: string) => void): void {
    this.visibilityListeners.push(listener);
  }

  /** Called after an alias moved, e.g. so a deployment that follows it can move too. */
  onAliasMoved(listener: (modelId: string, alias: string, versionId: string) => Promise<void>): void {
    this.aliasListeners.push(listener);
  }

  async removeAlias(viewer: Viewer | null, modelId: string, alias: string) {
    const model = await this.changeableModel(requireViewer(viewer), modelId);
    const { count } = await this.prisma.modelAlias.deleteMany({ where: { modelId: model.id, alias } });
    return count > 0;
  }

  async deleteVersion(viewer: Viewer | null, id: string): Promise<boolean> {
    const version = await this.changeableVersion(requireViewer(viewer), id);
    for (const check of this.deletionChecks) await check(viewer!, { versionId: version.id });
    const files = await this.prisma.modelFile.findMany({
      where: { versionId: version.id },
      select: { sha256: true },
    });
    await this.prisma.modelVersion.delete({ where: { id: version.id } });
    await this.references.release(files.map((f) => f.sha256));
    const from = { id: version.model.id, ownerId: version.model.ownerId, slug: version.model.slug };
    for (const listener of this.deletionListeners) await listener(from);
    return true;
  }

  async deleteModel(viewer: Viewer | null, id: string): Promise<boolean> {
    const model = await this.changeableModel(requireViewer(viewer), id);
    for (const check of this.deletionChecks) await check(viewer!, { modelId: model.id });
    const files = await this.prisma.modelFile.findMany({
      where: { version: { modelId: model.id } },
      select: { sha256: true },
    });
    await this.prisma.model.delete({ where: { id: model.id } });
    await this.references.release(files.map((f) => f.sha256));
    const from = { id: model.id, ownerId: model.ownerId, slug: model.slug };
    for (const listener of this.deletionListeners) await listener(from);
    return true;
  }

  /** `wasPublic` is null for a model the write created: nobody can hold anything of it yet. */
  private visibilityWritten(wasPublic: boolean | null, model: { id: string; isPublic: boolean }): void {
    if (wasPublic === null || wasPublic === model.isPublic) return;
    for (const listener of this.visibilityListeners) listener(model.id);
  }

  private async changeableModel(viewer: Viewer, id: string) {
    const row = isUuid(id) ? await this.prisma.model.findUnique({ where: { id } }) : null;
    return assertCanChange(viewer, row, `Model ${id}`);
  }

  private async changeableVersion(viewer: Viewer, id: string) {
    const row = isUuid(id)
      ? await this.prisma.modelVersion.findUnique({ where: { id }, include: { model: true } })
      : null;
    assertCanChange(viewer, row?.model ?? null, `Model version ${id}`);
    return row!;
  }
}
