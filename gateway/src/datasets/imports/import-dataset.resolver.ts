import { Arg, Ctx, Extensions, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { DatasetUploadResult } from "../datasets.types";
import { EmbeddingOptionsInput } from "../embeddings/embeddings.types";
import { uploadWithEmbeddings } from "../embeddings/upload-embeddings";
import { ImportDatasetInput } from "./import-dataset.types";
import { fieldCost } from "../../graphql/field-costs";

@Resolver()
export class DatasetImportsResolver {
  @Extensions(fieldCost.tierJob)
  @Mutation(() => DatasetUploadResult, {
    description:
      "Imports a premade dataset as a new version (source IMPORT) of the dataset named `input.name`: an " +
      "image-folder dataset repo from the Hugging Face Hub (HF_ENDPOINT) or a ZIP of class folders from a URL. " +
      "Images that are not valid are skipped and listed; a failed import stores nothing. Unless " +
      "`generateEmbeddings` is false, an embedding job for the new version is queued.",
  })
  importDataset(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ImportDatasetInput) input: ImportDatasetInput,
    @Arg("generateEmbeddings", () => Boolean, { nullable: true, defaultValue: true })
    generateEmbeddings?: boolean,
    @Arg("embedding", () => EmbeddingOptionsInput, { nullable: true }) embedding?: EmbeddingOptionsInput,
  ) {
    return uploadWithEmbeddings(ctx, generateEmbeddings, embedding, [], () =>
      ctx.services.datasetImports.importDataset(ctx.viewer, input, ctx.signal),
    );
  }
}
