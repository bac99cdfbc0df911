import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionOf, type Connection } from "../../graphql/connection";
import { limits } from "../../limits";

export enum PredictionSource {
  SERVING = "SERVING",
  LABELING = "LABELING",
}
registerEnumType(PredictionSource, {
  name: "PredictionSource",
  description: "SERVING: classifyImage with the prediction log on; LABELING: scored for a labelling batch",
});

export enum FeedbackSource {
  API = "API",
  PLAYGROUND = "PLAYGROUND",
  LABELING = "LABELING",
}
registerEnumType(FeedbackSource, {
  name: "FeedbackSource",
  description: "Where a correction came from; LABELING is set by submitLabels only",
});

@ObjectType({
  description:
    "One logged answer of a model version. Seen by whoever asked for it (while they can see the model), by admins, and, " +
    "for what the model served (SERVING), by the model's owner",
})
export class Prediction {
  @Field(() => ID)
  id!: string;

  @Field(() => PredictionSource)
  source!: PredictionSource;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: "When the retention sweep deletes it" })
  expiresAt!: Date | null;

  @Field(() => Float, { description: "Time spent in the inference tier" })
  latencyMs!: number;

  modelVersionId!: string;
  requestedById!: string | null;
  sampleId!: string | null;
  imageSha256!: string | null;
  /** The whole probability vector, in the model's output order. */
  labels!: string[];
  scores!: number[];
}

export const PredictionConnection = connectionOf(() => Prediction, "Prediction");
export type PredictionConnection = Connection<Prediction>;

@InputType({ description: "Every given condition must hold" })
export class PredictionFilter {
  @Field(() => Boolean, {
    nullable: true,
    description: "Only predictions with (true) or without (false) feedback",
  })
  hasFeedback?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Only predictions whose feedback says right (true) or wrong (false)",
  })
  isCorrect?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: `Only predictions whose top label is this one; at most ${limits.nameLength} characters`,
  })
  label?: string | null;

  @Field(() => Date, { nullable: true, description: "Only predictions made at or after this time" })
  since?: Date | null;
}

@ObjectType({
  description: "What a person said about a prediction; one per prediction, updated when given again",
})
export class Feedback {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The right label; the top label when only isCorrect: true was given; null when only isCorrect: false was",
  })
  correctLabel!: string | null;

  @Field(() => Boolean)
  isCorrect!: boolean;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => FeedbackSource)
  source!: FeedbackSource;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  predictionId!: string;
  createdById!: string;
}

@InputType({ description: "A label, a verdict, or both (then they must agree)" })
export class FeedbackInput {
  @Field(() => ID)
  predictionId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      `One of the model's labels (at most ${limits.nameLength} characters); equal to the top prediction, it means the ` +
      "prediction was right. A label the model does not have is refused",
  })
  correctLabel?: string | null;

  @Field(() => Boolean, { nullable: true })
  isCorrect?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: `At most ${limits.predictions.feedbackNoteLength} characters`,
  })
  note?: string | null;

  @Field(() => FeedbackSource, {
    nullable: true,
    defaultValue: FeedbackSource.API,
    description: "API or PLAYGROUND (the dashboard sends PLAYGROUND)",
  })
  source?: FeedbackSource | null;
}

@ObjectType({
  description:
    "The correction a model version learned from its feedback, with its cross-validated effect; applied (as adjustedPredictions) only while active",
})
export class FeedbackAdjustment {
  @Field(() => String, { description: '"vector-scaling": a scale and a bias per class on log-probabilities' })
  method!: string;

  @Field(() => Int, {
    description:
      "Labelled feedback rows it was fitted and cross-validated on: those recorded by the model's owner or an admin",
  })
  feedbackCount!: number;

  @Field(() => Float, { description: "The model's accuracy on those rows, 0–1" })
  accuracyBefore!: number;

  @Field(() => Float, { description: "Accuracy with the adjustment on held-out folds, 0–1" })
  accuracyAfter!: number;

  @Field(() => Boolean, { description: "Whether classifications return adjustedPredictions" })
  active!: boolean;

  @Field(() => Date)
  fittedAt!: Date;
}

@ObjectType({
  description: "Counts over what a version served (SERVING predictions) that the viewer may see",
})
export class FeedbackSummary {
  @Field(() => Int)
  predictions!: number;

  @Field(() => Int)
  withFeedback!: number;

  @Field(() => Int)
  correct!: number;

  @Field(() => Int)
  wrong!: number;
}
