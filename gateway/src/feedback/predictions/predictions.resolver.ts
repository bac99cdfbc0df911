import { Arg, Ctx, FieldResolver, Float, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { firstArg } from "../../graphql/connection";
import { ModelVersion } from "../../models/models.types";
import { Sample } from "../../datasets/datasets.types";
import { User } from "../../users/users.types";
import { canSee } from "../../users/access";
import { AdjustedPredictions, LabelScore } from "../../inference/inference.types";
import { activeAdjustmentOf, adjustedPredictions, topScores } from "./adjusted-predictions";
import { predictionImagePath } from "./prediction-links";
import { Feedback, Prediction, PredictionConnection, PredictionFilter } from "./predictions.types";
import { normalisedEntropy } from "../numerics/normalised-entropy";
import { notFound } from "../../errors";
import { visibleModelVersion } from "../../training/training-lineage";
import { canSeePredictionImage, type OwnedPrediction } from "./owned-predictions";

@Resolver(() => Prediction)
export class PredictionResolver {
  @Query(() => PredictionConnection, {
    name: "predictions",
    description:
      "A model version's logged predictions, newest first: what it served (source SERVING) for the model's owner and admins, " +
      "and your own (a labelling batch's LABELING ones too) for anyone who can see the model",
  })
  predictionList(
    @Ctx() ctx: RequestContext,
    @Arg("modelVersionId", () => ID) modelVersionId: string,
    @Arg("filter", () => PredictionFilter, { nullable: true }) filter?: PredictionFilter | null,
    @Arg("first", () => Int, firstArg(50)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.predictions.list(ctx.viewer, modelVersionId, filter, first, after);
  }

  @Query(() => Prediction, {
    nullable: true,
    description:
      "Null when it does not exist, expired, or is neither yours (while you can see its model) nor served by a model you may change",
  })
  prediction(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.predictions.find(ctx.viewer, id);
  }

  @FieldResolver(() => ModelVersion)
  async modelVersion(@Root() prediction: Prediction, @Ctx() ctx: RequestContext) {
    // Seeing a prediction needs seeing its model, so this is found unless it changed meanwhile.
    const version = await visibleModelVersion(ctx, prediction.modelVersionId);
    if (!version) throw notFound(`Model version ${prediction.modelVersionId}`);
    return version;
  }

  @FieldResolver(() => [LabelScore], { description: "Every class the model scored, highest first" })
  predictions(@Root() prediction: Prediction) {
    return topScores(prediction.labels, prediction.scores, prediction.labels.length);
  }

  @FieldResolver(() => Float, {
    description: "Entropy of the scores over log(classes): 0 certain, 1 every class alike",
  })
  uncertainty(@Root() prediction: Prediction) {
    return normalisedEntropy(prediction.scores);
  }

  @FieldResolver(() => AdjustedPredictions, {
    nullable: true,
    description:
      "Every class after the version's active feedback adjustment, highest first; null when none is active",
  })
  async adjustedPredictions(@Root() prediction: Prediction, @Ctx() ctx: RequestContext) {
    const row = await ctx.loaders.adjustmentByVersionId.load(prediction.modelVersionId);
    return adjustedPredictions(
      activeAdjustmentOf(row),
      prediction.labels,
      prediction.scores,
      prediction.labels.length,
    );
  }

  @FieldResolver(() => Feedback, { nullable: true })
  feedback(@Root() prediction: Prediction, @Ctx() ctx: RequestContext) {
    return ctx.loaders.feedbackByPredictionId.load(prediction.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The classified image (signed, short-lived URL); null when the deployment did not keep images, or the image is a dataset sample you cannot see",
  })
  imageUrl(@Root() prediction: OwnedPrediction, @Ctx() ctx: RequestContext) {
    return canSeePredictionImage(ctx.viewer, prediction)
      ? ctx.downloads.signedUrl(predictionImagePath(prediction.id))
      : null;
  }

  @FieldResolver(() => Sample, {
    nullable: true,
    description: "The dataset sample classified, as its newest labelled version holds it, if you can see it",
  })
  async sample(@Root() prediction: Prediction, @Ctx() ctx: RequestContext) {
    if (!prediction.sampleId) return null;
    const sample = await ctx.loaders.predictionSampleById.load(prediction.sampleId);
    return sample && canSee(ctx.viewer, sample.owner) ? sample : null;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who asked for it" })
  requestedBy(@Root() prediction: Prediction, @Ctx() ctx: RequestContext) {
    return prediction.requestedById ? ctx.loaders.userById.load(prediction.requestedById) : null;
  }
}
