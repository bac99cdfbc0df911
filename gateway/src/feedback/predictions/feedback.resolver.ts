import { Arg, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { fieldCost } from "../../graphql/field-costs";
import { ModelVersion } from "../../models/models.types";
import { User } from "../../users/users.types";
import { isAdmin } from "../../users/access";
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
  prediction(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    // Feedback is reached through its prediction or recordFeedback, both checked already.
    return ctx.loaders.predictionById.load(feedback.predictionId);
  }
}

@Resolver(() => ModelVersion)
export class ModelVersionFeedbackResolver {
  @FieldResolver(() => FeedbackAdjustment, {
    nullable: true,
    description:
      "What the version learned from its feedback; null until it had enough labelled feedback to fit",
  })
  feedbackAdjustment(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.adjustmentByVersionId.load(version.id);
  }

  @FieldResolver(() => FeedbackSummary, {
    description:
      "Counts over the version's logged predictions: all of them for the model's owner and admins, your own otherwise",
  })
  feedbackSummary(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.feedbackSummary.load({
      versionId: version.id,
      viewerId: ctx.viewer?.id ?? null,
      admin: isAdmin(ctx.viewer),
    });
  }
}
