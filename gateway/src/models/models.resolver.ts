import {
  Arg,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Info,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../graphql/context";
import { badInput } from "../errors";
import { firstArg, PageInfo, pageEdges, pageInfoOf, pageWindow, type Edge } from "../graphql/connection";
import { searchLimitNote } from "../graphql/owned-list-sql";
import { incomingUpload } from "../graphql/uploads";
import { User } from "../users/users.types";
import {
  ImportModelInput,
  ModelFilter,
  ModelPatch,
  ModelVersionPatch,
  UploadModelInput,
} from "./models.inputs";
import type { ModelListPage } from "./models.query";
import { ModelOrder } from "./model-order";
import { listSelection } from "./model-list-selection";
import { Model, ModelAlias, ModelConnection, ModelFile, ModelVersion } from "./models.types";
import { fieldCost } from "../graphql/field-costs";

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => Model, { nullable: true, description: "By id, or by slug and owner handle (default: you)" })
  model(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { nullable: true }) id?: string,
    @Arg("owner", () => String, { nullable: true }) owner?: string,
    @Arg("slug", () => String, { nullable: true }) slug?: string,
  ) {
    return ctx.services.models.findModel(ctx.viewer, { id, owner, slug });
  }

  @Query(() => ModelConnection, { description: "Models you can see, filtered, searched and paged" })
  models(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => ModelFilter, { nullable: true }) filter?: ModelFilter,
    @Arg("search", () => String, { nullable: true, description: `Words to find; ${searchLimitNote}` })
    search?: string,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("orderBy", () => ModelOrder, { nullable: true }) orderBy?: ModelOrder,
  ) {
    const { offset, limit } = pageWindow(first, after);
    return ctx.services.models.list(ctx.viewer, { filter, search, orderBy, offset, limit });
  }

  @Extensions(fieldCost.upload)
  @Mutation(() => ModelVersion, { description: "Uploads one or more files as a new version (multipart)" })
  uploadModel(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => UploadModelInput) input: UploadModelInput,
    @Arg("files", () => [GraphQLUpload]) files: Array<Promise<FileUpload>>,
    @Arg("paths", () => [String], {
      nullable: true,
      description:
        "Path of each file in the version, in the order of `files` (e.g. `onnx/model.onnx`); multipart file names carry no folders",
    })
    paths?: string[] | null,
  ) {
    if (paths && paths.length !== files.length) {
      throw badInput(`Give one path per file: ${files.length} files but ${paths.length} paths`, {
        field: "paths",
      });
    }
    const max = ctx.config.limits.maxUploadBytes;
    const incoming = files.map((file, index) => incomingUpload(file, max, paths?.[index]));
    return ctx.services.models.uploadFiles(ctx.viewer, input, incoming, ctx.signal);
  }

  @Extensions(fieldCost.upload)
  @Mutation(() => ModelVersion, { description: "Uploads a ZIP of a model folder as a new version" })
  uploadModelArchive(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => UploadModelInput) input: UploadModelInput,
    @Arg("archive", () => GraphQLUpload) archive: Promise<FileUpload>,
    @Arg("preserveStructure", () => Boolean, { nullable: true, defaultValue: true })
    preserveStructure: boolean | null,
  ) {
    const incoming = incomingUpload(archive, ctx.config.limits.maxUploadBytes);
    return ctx.services.models.uploadArchive(
      ctx.viewer,
      input,
      incoming,
      preserveStructure ?? true,
      ctx.signal,
    );
  }

  @Extensions(fieldCost.tierJob)
  @Mutation(() => ModelVersion, {
    description: "Imports files from the Hugging Face Hub or a URL as a new version",
  })
  importModel(@Ctx() ctx: RequestContext, @Arg("input", () => ImportModelInput) input: ImportModelInput) {
    return ctx.services.modelImports.importModel(ctx.viewer, input, ctx.signal);
  }

  @Mutation(() => Model)
  updateModel(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("patch", () => ModelPatch) patch: ModelPatch,
  ) {
    return ctx.services.models.updateModel(ctx.viewer, id, patch);
  }

  @Mutation(() => ModelVersion)
  updateModelVersion(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("patch", () => ModelVersionPatch) patch: ModelVersionPatch,
  ) {
    return ctx.services.models.updateVersion(ctx.viewer, id, patch);
  }

  @Mutation(() => Model, { description: "Points an alias (e.g. `production`) at a version of the model" })
  setModelAlias(
    @Ctx() ctx: RequestContext,
    @Arg("modelId", () => ID) modelId: string,
    @Arg("alias", () => String) alias: string,
    @Arg("versionId", () => ID) versionId: string,
  ) {
    return ctx.services.models.setAlias(ctx.viewer, modelId, alias, versionId);
  }

  @Mutation(() => Boolean, { description: "True when the alias existed" })
  removeModelAlias(
    @Ctx() ctx: RequestContext,
    @Arg("modelId", () => ID) modelId: string,
    @Arg("alias", () => String) alias: string,
  ) {
    return ctx.services.models.removeAlias(ctx.viewer, modelId, alias);
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => Boolean)
  deleteModelVersion(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.models.deleteVersion(ctx.viewer, id);
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => Boolean)
  deleteModel(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.models.deleteModel(ctx.viewer, id);
  }

  @FieldResolver(() => User)
  owner(@Root() model: Model, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(model.ownerId);
  }

  @FieldResolver(() => [ModelVersion], { description: "Newest first" })
  versions(@Root() model: Model, @Ctx() ctx: RequestContext) {
    return ctx.loaders.versionsByModelId.load(model.id);
  }

  @FieldResolver(() => ModelVersion, { nullable: true })
  async latestVersion(@Root() model: Model, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.versionsByModelId.load(model.id))[0] ?? null;
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: 'A version by name ("v2") or alias' })
  async version(@Root() model: Model, @Ctx() ctx: RequestContext, @Arg("name", () => String) name: string) {
    const alias = (await ctx.loaders.aliasesByModelId.load(model.id)).find((a) => a.alias === name);
    const versions = await ctx.loaders.versionsByModelId.load(model.id);
    return versions.find((v) => (alias ? v.id === alias.versionId : v.version === name)) ?? null;
  }

  @FieldResolver(() => [ModelAlias])
  aliases(@Root() model: Model, @Ctx() ctx: RequestContext) {
    return ctx.loaders.aliasesByModelId.load(model.id);
  }
}

@Resolver(() => ModelVersion)
export class ModelVersionResolver {
  @Query(() => ModelVersion, { nullable: true })
  modelVersion(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.models.findVersion(ctx.viewer, id);
  }

  @FieldResolver(() => Model)
  model(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.modelById.load(version.modelId);
  }

  @FieldResolver(() => [ModelFile])
  files(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.filesByVersionId.load(version.id);
  }

  @FieldResolver(() => ModelFile, { nullable: true })
  async primaryFile(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.filesByVersionId.load(version.id)).find((f) => f.isPrimary) ?? null;
  }

  @FieldResolver(() => [String], { description: "Aliases pointing at this version" })
  aliases(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.aliasesByVersionId.load(version.id);
  }

  @FieldResolver(() => String, { description: "The whole version as a ZIP (signed, short-lived URL)" })
  downloadUrl(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return ctx.downloads.versionArchiveUrl(version.id);
  }
}

@Resolver(() => ModelFile)
export class ModelFileResolver {
  @FieldResolver(() => String, { description: "This file (signed, short-lived URL; Range supported)" })
  downloadUrl(@Root() file: ModelFile, @Ctx() ctx: RequestContext) {
    return ctx.downloads.fileUrl(file.versionId, file.path);
  }
}

@Resolver(() => ModelAlias)
export class ModelAliasResolver {
  @FieldResolver(() => ModelVersion)
  async version(@Root() alias: ModelAlias, @Ctx() ctx: RequestContext) {
    return ctx.loaders.versionById.load(alias.versionId);
  }
}

/** Each field reads only what it needs: a query for `totalCount` alone never reads a model row. */
@Resolver(() => ModelConnection)
export class ModelConnectionResolver {
  @FieldResolver(() => [ModelConnection.Edge])
  async edges(
    @Root() list: ModelListPage,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Edge<Model>[]> {
    const { ids } = await list.page();
    // A page read with its versions (and files) is one statement; model rows alone stay a loader.
    const depth = listSelection(info);
    const models = depth.versions
      ? await ctx.services.models.listTree(ids, depth, ctx.loaders)
      : await ctx.loaders.modelById.loadMany(ids);
    return pageEdges(
      models.filter((m): m is Model => !!m && !(m instanceof Error)),
      list.offset,
    );
  }

  @FieldResolver(() => PageInfo)
  async pageInfo(@Root() list: ModelListPage): Promise<PageInfo> {
    const { ids, hasNextPage } = await list.page();
    return pageInfoOf(list.offset, ids.length, hasNextPage);
  }

  @FieldResolver(() => Int)
  totalCount(@Root() list: ModelListPage): Promise<number> {
    return list.totalCount();
  }
}
