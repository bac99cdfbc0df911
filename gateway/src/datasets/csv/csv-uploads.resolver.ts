import { Arg, Ctx, Extensions, Mutation, Resolver } from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../../graphql/context";
import { incomingUpload } from "../../graphql/uploads";
import { DatasetInput, DatasetUploadResult } from "../datasets.types";
import { EmbeddingOptionsInput } from "../embeddings/embeddings.types";
import { uploadWithEmbeddings } from "../embeddings/upload-embeddings";
import { fieldCost } from "../../graphql/field-costs";

@Resolver()
export class DatasetCsvUploadsResolver {
  @Extensions(fieldCost.upload)
  @Mutation(() => DatasetUploadResult, {
    description:
      "Uploads a CSV mapping (header `path,label`, optional `split` = train|validation|test, any other " +
      "column kept as per-sample metadata) with the ZIP `archive` its paths refer to, as a new version " +
      "(a row with split `unlabeled` and an empty label joins the version's unlabeled pool) " +
      "(source CSV) of the dataset named in `input`. Rows naming a file missing from the archive, and " +
      "archive files no row names, are skipped and listed; errors in the CSV name the line.",
  })
  uploadDatasetCsv(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => DatasetInput) input: DatasetInput,
    @Arg("csv", () => GraphQLUpload) csv: Promise<FileUpload>,
    @Arg("archive", () => GraphQLUpload, {
      nullable: true,
      description: "Required: the ZIP holding the files of the `path` column",
    })
    archive?: Promise<FileUpload> | null,
    @Arg("generateEmbeddings", () => Boolean, { nullable: true, defaultValue: true })
    generateEmbeddings?: boolean,
    @Arg("embedding", () => EmbeddingOptionsInput, { nullable: true }) embedding?: EmbeddingOptionsInput,
  ) {
    const maxBytes = ctx.config.limits.maxUploadBytes;
    return uploadWithEmbeddings(ctx, generateEmbeddings, embedding, [csv, archive], () =>
      ctx.services.datasetCsvUploads.uploadCsv(
        ctx.viewer,
        input,
        incomingUpload(csv, maxBytes),
        archive ? incomingUpload(archive, maxBytes) : null,
        ctx.signal,
      ),
    );
  }
}
