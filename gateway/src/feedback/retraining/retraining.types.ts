import { GraphQLJSON } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { JobError, JobStatus } from "../../jobs/jobs.types";
import { DriftMethod } from "./retraining.inputs";

@ObjectType()
export class DriftTrigger {
  @Field(() => DriftMethod)
  method!: DriftMethod;

  @Field(() => Float)
  pValue!: number;

  @Field(() => Float)
  minEffect!: number;

  @Field(() => Int)
  window!: number;
}

@ObjectType({ description: "Any one that holds fires the policy" })
export class RetrainingTriggers {
  @Field(() => Int, { nullable: true })
  feedbackCount!: number | null;

  @Field(() => String, { nullable: true, description: "Cron, UTC" })
  schedule!: string | null;

  @Field(() => Float, { nullable: true })
  meanUncertaintyAbove!: number | null;

  @Field(() => DriftTrigger, { nullable: true })
  drift!: DriftTrigger | null;

  @Field(() => Date, { nullable: true, description: "When the schedule next comes due (null without one)" })
  nextScheduledAt!: Date | null;
}

@ObjectType()
export class Promotion {
  @Field(() => String)
  alias!: string;

  @Field(() => Float)
  mustBeatChampionBy!: number;
}

@ObjectType({ description: "A model retrained from its corrections when its triggers say so" })
export class RetrainingPolicy {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => RetrainingTriggers)
  triggers!: RetrainingTriggers;

  @Field(() => Boolean, { description: "Disabled policies are not evaluated by the scheduler" })
  enabled!: boolean;

  @Field(() => Int, { description: "Seconds" })
  cooldown!: number;

  @Field(() => Promotion)
  promote!: Promotion;

  @Field(() => GraphQLJSON, { description: "The TrainingInput fields every run starts from" })
  trainingTemplate!: unknown;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastFiredAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "The last evaluation that could fire (not dry runs)" })
  lastEvaluatedAt!: Date | null;

  ownerId!: string;
  modelId!: string;
  datasetId!: string;
}

@ObjectType({ description: "One check of a policy's triggers, and what it decided" })
export class PolicyEvaluation {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => Boolean, { description: "Whether it started a run (never on a dry run)" })
  fired!: boolean;

  @Field(() => Boolean)
  dryRun!: boolean;

  @Field(() => [String], {
    description: 'The verdict first ("would fire, because …"), then one sentence per trigger checked',
  })
  reasons!: string[];

  @Field(() => GraphQLJSON, {
    description: "Every measured value: corrections, uncertainty, drift statistic and p, …",
  })
  metrics!: unknown;

  policyId!: string;
}

@ObjectType({
  description: "What one firing did: the dataset version, the training job, the duel, the decision",
})
export class RetrainingRun {
  @Field(() => ID, { description: "Also its Job's id" })
  id!: string;

  @Field(() => JobStatus)
  status!: JobStatus;

  @Field(() => JobError, { nullable: true })
  error!: JobError | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether the alias moved to the challenger; null until decided",
  })
  promoted!: boolean | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      "{ heldOut: { source, count, minimum }, champion: { versionId, accuracy, correct }, challenger: {…}, margin, required, promoted, reason, " +
      "corrections: { taken, relabelled, added, unchanged, skipped: [{ feedbackId, reason }], capped } } (corrections as soon as the run's dataset version exists)",
  })
  decision!: unknown;

  policyId!: string;
  evaluationId!: string | null;
  datasetVersionId!: string | null;
  trainingJobId!: string | null;
  championVersionId!: string | null;
  challengerVersionId!: string | null;
}
