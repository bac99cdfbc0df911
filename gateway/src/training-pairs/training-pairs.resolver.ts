import { Arg, Ctx, Extensions, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../graphql/context";
import { connection, firstArg, pageWindow } from "../graphql/connection";
import { incomingUpload } from "../graphql/uploads";
import { requireViewer } from "../users/access";
import { TrainingPair, TrainingPairConnection, TrainingPairStats } from "./training-pairs.types";
import { fieldCost } from "../graphql/field-costs";

@Resolver(() => TrainingPair)
export class TrainingPairResolver {
  @Extensions(fieldCost.upload)
  @Mutation(() => TrainingPair, {
    description:
      "Stores a before/after image pair (JPEG, PNG, WebP or GIF each) with the instruction that links them. " +
      'Without `userEmail` the pair is stored as "anonymous"; without `sessionId` the call opens a new session. ' +
      "Any signed-in user may call it.",
  })
  storeTrainingPair(
    @Ctx() ctx: RequestContext,
    @Arg("original", () => GraphQLUpload) original: Promise<FileUpload>,
    @Arg("transformed", () => GraphQLUpload) transformed: Promise<FileUpload>,
    @Arg("instruction", () => String) instruction: string,
    @Arg("userEmail", () => String, { nullable: true }) userEmail?: string | null,
    @Arg("sessionId", () => String, {
      nullable: true,
      description: "Pass the same value to group pairs of one product session in one export folder",
    })
    sessionId?: string | null,
  ) {
    const maxBytes = ctx.config.limits.maxImageBytes;
    return ctx.services.trainingPairs.storePair(
      ctx.viewer,
      {
        original: incomingUpload(original, maxBytes, "original"),
        transformed: incomingUpload(transformed, maxBytes, "transformed"),
        instruction,
        userEmail,
        sessionId,
      },
      ctx.signal,
    );
  }

  @Query(() => TrainingPairStats, { description: "Counts over the training pairs you can see" })
  trainingPairStats(@Ctx() ctx: RequestContext) {
    return ctx.services.trainingPairs.stats(ctx.viewer);
  }

  @Query(() => TrainingPairConnection, {
    description: "Training pairs you can see (admins: all; members: those they stored), newest first",
  })
  async trainingPairs(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("instruction", () => String, {
      nullable: true,
      description: "Only pairs whose instruction contains this text, ignoring case",
    })
    instruction?: string | null,
  ) {
    const { offset, limit } = pageWindow(first, after);
    const page = await ctx.services.trainingPairs.list(ctx.viewer, { instruction, offset, limit });
    return connection(page.pairs, offset, page.totalCount);
  }

  @Query(() => String, {
    description:
      "A short-lived signed URL; GET it for a ZIP of the pairs you can see: session-<id>/ folders with both " +
      "images and metadata.json, and training-log.jsonl with one line per pair",
  })
  trainingPairsExport(@Ctx() ctx: RequestContext) {
    requireViewer(ctx.viewer);
    return ctx.downloads.trainingPairsExportUrl();
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => Int, {
    description:
      "For privacy requests (admins only): deletes every pair stored under this email and the images " +
      "nothing else uses; returns how many pairs were deleted",
  })
  deleteTrainingPairsByEmail(@Ctx() ctx: RequestContext, @Arg("email", () => String) email: string) {
    return ctx.services.trainingPairs.deleteByEmail(ctx.viewer, email);
  }

  @FieldResolver(() => String, { description: "Signed, short-lived URL of the image before the change" })
  originalUrl(@Root() pair: TrainingPair, @Ctx() ctx: RequestContext) {
    return ctx.downloads.trainingPairImageUrl(pair.id, "original");
  }

  @FieldResolver(() => String, { description: "Signed, short-lived URL of the image after the change" })
  transformedUrl(@Root() pair: TrainingPair, @Ctx() ctx: RequestContext) {
    return ctx.downloads.trainingPairImageUrl(pair.id, "transformed");
  }
}
