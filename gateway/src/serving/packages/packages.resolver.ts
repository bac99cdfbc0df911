import DataLoader from "dataloader";
import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { Loaders, RequestContext } from "../../graphql/context";
import { fieldCost } from "../../graphql/field-costs";
import { incomingUpload } from "../../graphql/uploads";
import { ModelVersion } from "../../models/models.types";
import { ImportedPackage, ModelPackage } from "../serving.types";
import type { ImportedPackageRecord } from "./package-import";

@Resolver()
export class ModelPackageResolver {
  // Runs the model once and writes a copy of every file of the version: priced like an upload.
  @Extensions(fieldCost.upload)
  @Mutation(() => ModelPackage, {
    description:
      "Packages an ONNX version as a .tessera ZIP (model/…, metadata.json, categories.json, README.md, " +
      "test_data/ with an input and ONNX Runtime's output as .npy, MANIFEST.sha256 in sha256sum format) " +
      "behind a signed link that lives TESSERA_SIGNED_URL_TTL seconds. Anyone signed in who can see the " +
      "version may export it (what the version's own ZIP download already gives them); NOT_FOUND otherwise, " +
      "FAILED_PRECONDITION for a version that is not ONNX or whose model cannot run",
  })
  async exportModelPackage(
    @Ctx() ctx: RequestContext,
    @Arg("versionId", () => ID) versionId: string,
  ): Promise<ModelPackage> {
    const exported = await ctx.services.packages.exports.export(ctx.viewer, versionId, ctx.signal);
    const url = ctx.downloads.artifactUrl(exported.artifactId);
    // The signer decides the link's lifetime; the link itself says when it ends.
    const expires = Number(new URL(url).searchParams.get("expires"));
    return {
      url,
      filename: exported.filename,
      sizeBytes: exported.sizeBytes,
      sha256: exported.sha256,
      expiresAt: new Date(Math.min(expires * 1000, exported.expiresAt.getTime())),
    };
  }

  @Extensions(fieldCost.upload)
  @Mutation(() => ModelVersion, {
    description:
      "Registers a .tessera package as a new private version of your model `slug` (default: the package's " +
      "slug). Every file must match MANIFEST.sha256 and the manifest must list every file; the test pair " +
      "must reproduce in ONNX Runtime within 1e-4 + 1e-3·|expected|. Otherwise BAD_USER_INPUT naming the " +
      "file (extensions.file), and nothing is stored. At most TESSERA_MAX_UPLOAD_BYTES and 1,000 files",
  })
  importModelPackage(
    @Ctx() ctx: RequestContext,
    @Arg("archive", () => GraphQLUpload) archive: Promise<FileUpload>,
    @Arg("slug", () => String, { nullable: true }) slug?: string | null,
  ) {
    const incoming = incomingUpload(archive, ctx.config.limits.maxUploadBytes);
    return ctx.services.packages.imports.import(ctx.viewer, incoming, slug ?? null, ctx.signal);
  }
}

const importedLoaders = new WeakMap<Loaders, DataLoader<string, ImportedPackageRecord | null>>();

/** One statement per request for every version's importedPackage (lists show many versions). */
function importedLoader(ctx: RequestContext) {
  let loader = importedLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const rows = await ctx.prisma.modelVersion.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, importedPackage: true },
      });
      const byId = new Map(rows.map((row) => [row.id, row.importedPackage as ImportedPackageRecord | null]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    importedLoaders.set(ctx.loaders, loader);
  }
  return loader;
}

@Resolver(() => ModelVersion)
export class ModelVersionPackageResolver {
  @FieldResolver(() => ImportedPackage, {
    nullable: true,
    description:
      "The .tessera package this version came from (importModelPackage); null for every other version",
  })
  async importedFrom(
    @Root() version: ModelVersion,
    @Ctx() ctx: RequestContext,
  ): Promise<ImportedPackage | null> {
    const record = await importedLoader(ctx).load(version.id);
    return record ? { ...record, importedAt: new Date(record.importedAt) } : null;
  }
}
