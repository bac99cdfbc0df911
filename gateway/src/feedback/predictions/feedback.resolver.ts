import { Arg, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { fieldCost } from "../../graphql/field-costs";
import { ModelVersion } from "../../models/models.types";
import { User } from "../../users/users.types";
import { isAdmin } from "../../users/access";
import { notFound } from "../../errors";
import { visiblePrediction } from "./owned-predictions";
import {
  Feedback,
  FeedbackAdjustment,
  FeedbackInput,
  FeedbackSummary,
  Prediction,
} from "./predictions.types";

@Resolver(() => Feedback)
export class FeedbackResolver {
  @Extensions(fieldCost.write)
  @Mutation(() => Feedback, {
    description:
      "Says what was right about a prediction you can see: its right label, whether it was right, or both. Recording again replaces the prediction's feedback",
  })
  recordFeedback(@Ctx() ctx: RequestContext, @Arg("input", () => FeedbackInput) input: FeedbackInput) {
    return ctx.services.feedback.record(ctx.viewer, input);
  }

  @FieldResolver(() => User, { description: "Who recorded it last" })
  createdBy(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(feedback.createdById);
  }

  @FieldResolver(() => Prediction)
  async prediction(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    // Feedback is reached through a prediction the viewer sees, so this is found unless it expired since.
    const prediction = await visiblePrediction(ctx, feedback.predictionId);
    if (!prediction) throw notFound(`Prediction ${feedback.predictionId}`);
    return prediction;
  }
}

@Resolver(() => ModelVersion)
export class ModelVersionFeedbackResolver {
  @FieldResolver(() => FeedbackAdjustment, {
    nullable: true,
    description:
      "What the version learned from its feedback; null until it had enough labelled feedback to fit. Only feedback " +
      "recorded by who may change the model (its owner, an admin) is fitted: anyone may classify a public model, but " +
      "their corrections do not steer what every caller is served",
  })
  feedbackAdjustment(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.adjustmentByVersionId.load(version.id);
  }

  @FieldResolver(() => FeedbackSummary, {
    description:
      "Counts over what the version served (SERVING predictions, not labelling batches' scores): all of it for the " +
      "model's owner and admins, your own otherwise",
  })
  feedbackSummary(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.feedbackSummary.load({
      versionId: version.id,
      viewerId: ctx.viewer?.id ?? null,
      admin: isAdmin(ctx.viewer),
    });
  }
}
