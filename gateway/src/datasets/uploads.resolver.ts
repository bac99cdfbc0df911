import {
  Arg,
  Ctx,
  Extensions,
  ID,
  Mutation,
  Resolver,
  Root,
  type SubscribeResolverData,
  Subscription,
} from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../graphql/context";
import { incomingUpload } from "../graphql/uploads";
import { DatasetInput, DatasetUploadResult } from "./datasets.types";
import { EmbeddingOptionsInput } from "./embeddings/embeddings.types";
import { uploadWithEmbeddings } from "./embeddings/upload-embeddings";
import { fieldCost } from "../graphql/field-costs";
import { limits } from "../limits";
import { DatasetUploadProgress } from "./ingest/upload-progress.types";

const progressIdDescription =
  `Chosen by the client (8 to ${limits.uploadProgressIdLength} letters, digits, '-' or '_'; a UUID fits), ` +
  "unique among its running uploads";

@Resolver()
export class DatasetUploadsResolver {
  @Extensions(fieldCost.upload)
  @Mutation(() => DatasetUploadResult, {
    description:
      "Uploads a ZIP of class folders (one folder per class, JPEG/PNG/WebP/GIF inside) as a new version " +
      "of the dataset named in `input`, created on first upload. A top-level `_unlabeled/` folder is not a " +
      "class: its images become the version's unlabeled pool (DatasetVersion.unlabeledSamples). Files that are not valid images are " +
      "skipped and listed, not fatal; an archive with no valid image is refused. Unless `generateEmbeddings` " +
      "is false, an embedding job for the new version is queued (see DatasetVersion.embeddingStatus). " +
      "With a `progressId`, `datasetUploadProgress` reports how far the gateway is while it checks the files.",
  })
  uploadDataset(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => DatasetInput) input: DatasetInput,
    @Arg("archive", () => GraphQLUpload) archive: Promise<FileUpload>,
    @Arg("generateEmbeddings", () => Boolean, { nullable: true, defaultValue: true })
    generateEmbeddings?: boolean,
    @Arg("embedding", () => EmbeddingOptionsInput, { nullable: true }) embedding?: EmbeddingOptionsInput,
    @Arg("progressId", () => ID, { nullable: true, description: progressIdDescription }) progressId?: string,
  ) {
    const incoming = incomingUpload(archive, ctx.config.limits.maxUploadBytes);
    return uploadWithEmbeddings(ctx, generateEmbeddings, embedding, [archive], () =>
      ctx.services.datasetUploads.uploadZip(ctx.viewer, input, incoming, ctx.signal, progressId),
    );
  }

  @Subscription(() => DatasetUploadProgress, {
    description:
      "Progress of your uploadDataset sent with this `progressId`, the current state first (subscribe before " +
      "or while sending it). " +
      "At most four updates a second; ends after DONE or FAILED (the upload's own answer says why).",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { progressId: string }, RequestContext>) =>
      context.services.datasetUploads.followProgress(context.viewer, args.progressId),
  })
  datasetUploadProgress(
    @Root() progress: DatasetUploadProgress,
    @Arg("progressId", () => ID, { description: progressIdDescription }) _progressId: string,
  ): DatasetUploadProgress {
    return progress;
  }
}
