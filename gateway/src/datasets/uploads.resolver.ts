import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../graphql/context";
import { incomingUpload } from "../graphql/uploads";
import { DatasetInput, DatasetUploadResult } from "./datasets.types";

@Resolver()
export class DatasetUploadsResolver {
  @Mutation(() => DatasetUploadResult, {
    description:
      "Uploads a ZIP of class folders (one folder per class, JPEG/PNG/WebP/GIF inside) as a new version " +
      "of the dataset named in `input`, created on first upload. Files that are not valid images are " +
      "skipped and listed, not fatal; an archive with no valid image is refused.",
  })
  uploadDataset(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => DatasetInput) input: DatasetInput,
    @Arg("archive", () => GraphQLUpload) archive: Promise<FileUpload>,
  ) {
    const incoming = incomingUpload(archive, ctx.config.limits.maxUploadBytes);
    return ctx.services.datasetUploads.uploadZip(ctx.viewer, input, incoming, ctx.signal);
  }
}
