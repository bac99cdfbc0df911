import {
  Arg,
  Ctx,
  Extensions,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  type SubscribeResolverData,
  Subscription,
} from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../../graphql/context";
import { connection, firstArg, pageWindow } from "../../graphql/connection";
import { limits } from "../../limits";
import { DatasetUploadResult, DatasetVersion, Sample } from "../datasets.types";
import {
  EmbeddingConnection,
  EmbeddingOptionsInput,
  EmbeddingStatus,
  SimilarSample,
} from "./embeddings.types";
import { fieldCost } from "../../graphql/field-costs";

@Resolver()
export class EmbeddingsResolver {
  @Extensions(fieldCost.tierJob)
  @Mutation(() => EmbeddingStatus, {
    description: "Embeds an existing dataset version into another space (spaces coexist); owner or admin",
  })
  embedDatasetVersion(
    @Ctx() ctx: RequestContext,
    @Arg("datasetVersionId", () => ID) datasetVersionId: string,
    @Arg("embedding", () => EmbeddingOptionsInput, { nullable: true }) embedding?: EmbeddingOptionsInput,
  ) {
    return ctx.services.embeddings.embedVersion(ctx.viewer, datasetVersionId, embedding);
  }

  @Subscription(() => EmbeddingStatus, {
    description: "The version's current embedding statuses, then every change",
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { datasetVersionId: string }, RequestContext>) =>
      context.services.embeddings.follow(context.viewer, args.datasetVersionId),
  })
  embeddingProgress(
    @Root() status: EmbeddingStatus,
    @Arg("datasetVersionId", () => ID) _datasetVersionId: string,
  ): EmbeddingStatus {
    return status;
  }

  @Extensions(fieldCost.inference)
  @Query(() => [SimilarSample], {
    description:
      "The k nearest samples to a sample or an uploaded image (exactly one), by cosine distance; in one dataset " +
      "or across the datasets you can see. `space` defaults to the dataset's most recent finished space.",
  })
  async similarSamples(
    @Ctx() ctx: RequestContext,
    @Arg("datasetId", () => ID, { nullable: true }) datasetId?: string,
    @Arg("sampleId", () => ID, { nullable: true }) sampleId?: string,
    @Arg("image", () => GraphQLUpload, { nullable: true }) image?: Promise<FileUpload>,
    @Arg("k", () => Int, { nullable: true, defaultValue: 10, description: `1 to ${limits.similarK}` })
    k?: number,
    @Arg("space", () => String, { nullable: true }) space?: string,
  ) {
    const bytes = image ? await ctx.services.inference.imageBytes(ctx.viewer, { upload: image }) : null;
    return ctx.services.similarity.similarSamples(
      ctx.viewer,
      { datasetId, sampleId, image: bytes, k: k ?? 10, space },
      ctx.signal,
    );
  }

  @Query(() => EmbeddingConnection, { description: "Raw vectors of a version in one space, by sample id" })
  async embeddings(
    @Ctx() ctx: RequestContext,
    @Arg("datasetVersionId", () => ID) datasetVersionId: string,
    @Arg("space", () => String, { nullable: true }) space?: string,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const { offset, limit } = pageWindow(first, after);
    const page = await ctx.services.similarity.embeddings(
      ctx.viewer,
      datasetVersionId,
      space ?? null,
      offset,
      limit,
    );
    return connection(page.nodes, offset, page.totalCount);
  }
}

@Resolver(() => DatasetVersion)
export class VersionEmbeddingsResolver {
  @FieldResolver(() => [EmbeddingStatus], {
    description: "One per embedding space this version was queued for",
  })
  embeddingStatus(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    return ctx.services.embeddings.statusesOf(version.id);
  }
}

@Resolver(() => EmbeddingStatus)
export class EmbeddingStatusResolver {
  @FieldResolver(() => [ID], {
    description: "Samples whose quality in this space is under the run's threshold",
  })
  flaggedSampleIds(@Root() status: EmbeddingStatus, @Ctx() ctx: RequestContext) {
    return ctx.services.embeddings.flaggedSampleIds(status);
  }
}

@Resolver(() => Sample)
export class SampleEmbeddingResolver {
  @FieldResolver(() => Float, {
    nullable: true,
    description:
      "Cosine similarity (-1 to 1) of this sample's embedding to the centroid of the rest of its class; low means " +
      "atypical or possibly mislabelled. `space` defaults to the dataset's most recent finished space.",
  })
  embeddingQuality(
    @Root() sample: Sample,
    @Ctx() ctx: RequestContext,
    @Arg("space", () => String, { nullable: true }) space?: string,
  ) {
    return ctx.services.similarity.sampleQuality(ctx.viewer, sample, space ?? null);
  }
}

@Resolver(() => DatasetUploadResult)
export class UploadEmbeddingsResolver {
  @FieldResolver(() => Boolean, { description: "Whether an embedding job was queued for the new version" })
  embeddingsQueued(@Root() result: DatasetUploadResult & { embeddingsQueued?: boolean }) {
    return result.embeddingsQueued ?? false;
  }
}
