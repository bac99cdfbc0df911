import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { fieldCost } from "../../graphql/field-costs";
import { checkRange, limits } from "../../limits";
import { Dataset, DatasetVersion } from "../../datasets/datasets.types";
import { Model, ModelVersion } from "../../models/models.types";
import { TrainingJob } from "../../training/training.types";
import { canSeeJob } from "../../training/training-access";
import { visibleDatasetVersion, visibleModelVersion } from "../../training/training-lineage";
import { User } from "../../users/users.types";
import { toPolicyEvaluation, toRetrainingRun } from "./retraining-rows";
import { RetrainingPolicyInput, RetrainingPolicyPatch } from "./retraining.inputs";
import { PolicyEvaluation, RetrainingPolicy, RetrainingRun } from "./retraining.types";

const pageArg = (defaultValue: number) => ({
  nullable: true,
  defaultValue,
  description: `Newest first, 1 to ${limits.pageSize}`,
});

@Resolver(() => RetrainingPolicy)
export class RetrainingPolicyResolver {
  @Extensions(fieldCost.write)
  @Mutation(() => RetrainingPolicy, {
    description:
      "A policy on a model of yours: checks the template against the dataset's latest version and every trigger now, so a bad policy fails here",
  })
  createRetrainingPolicy(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => RetrainingPolicyInput) input: RetrainingPolicyInput,
  ) {
    return ctx.services.retraining.create(ctx.viewer, input);
  }

  @Extensions(fieldCost.write)
  @Mutation(() => RetrainingPolicy)
  updateRetrainingPolicy(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("patch", () => RetrainingPolicyPatch) patch: RetrainingPolicyPatch,
  ) {
    return ctx.services.retraining.update(ctx.viewer, id, patch);
  }

  @Extensions(fieldCost.write)
  @Mutation(() => Boolean, { description: "With its evaluations and runs; a run still going is cancelled" })
  deleteRetrainingPolicy(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.retraining.delete(ctx.viewer, id);
  }

  @Extensions(fieldCost.trainingStart)
  @Mutation(() => PolicyEvaluation, {
    description:
      'Measures the triggers now and stores the evaluation; a dry run answers "would fire, because …" and fires nothing, otherwise it may start a run',
  })
  evaluateRetrainingPolicy(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("dryRun", () => Boolean, { defaultValue: true }) dryRun: boolean,
  ) {
    return ctx.services.retraining.evaluate(ctx.viewer, id, dryRun);
  }

  @Query(() => RetrainingPolicy, { nullable: true, description: "Yours (any, for an admin)" })
  retrainingPolicy(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.retraining.find(ctx.viewer, id);
  }

  @Query(() => [RetrainingPolicy], {
    description: `Your policies (everyone's for an admin), of one model when given; newest ${limits.pageSize}`,
  })
  retrainingPolicies(
    @Ctx() ctx: RequestContext,
    @Arg("modelId", () => ID, { nullable: true }) modelId?: string | null,
  ) {
    return ctx.services.retraining.list(ctx.viewer, modelId);
  }

  @FieldResolver(() => Model)
  async model(@Root() policy: RetrainingPolicy, @Ctx() ctx: RequestContext) {
    return ctx.loaders.modelById.load(policy.modelId);
  }

  @FieldResolver(() => Dataset)
  async dataset(@Root() policy: RetrainingPolicy, @Ctx() ctx: RequestContext) {
    return ctx.loaders.datasetById.load(policy.datasetId);
  }

  @FieldResolver(() => User)
  owner(@Root() policy: RetrainingPolicy, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(policy.ownerId);
  }

  @FieldResolver(() => [PolicyEvaluation], { description: "Newest first" })
  async evaluations(
    @Root() policy: RetrainingPolicy,
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, pageArg(50)) first: number,
  ) {
    checkRange("first", first, 1, limits.pageSize);
    const rows = await ctx.loaders.policyEvaluations.load({ policyId: policy.id, first });
    return rows.map(toPolicyEvaluation);
  }

  @FieldResolver(() => [RetrainingRun], { description: "Newest first" })
  async runs(
    @Root() policy: RetrainingPolicy,
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, pageArg(20)) first: number,
  ) {
    checkRange("first", first, 1, limits.pageSize);
    const rows = await ctx.loaders.policyRuns.load({ policyId: policy.id, first });
    return rows.map(toRetrainingRun);
  }
}

@Resolver(() => PolicyEvaluation)
export class PolicyEvaluationResolver {
  @FieldResolver(() => RetrainingRun, { nullable: true, description: "The run it started, when it fired" })
  async run(@Root() evaluation: PolicyEvaluation, @Ctx() ctx: RequestContext) {
    const row = await ctx.loaders.runByEvaluationId.load(evaluation.id);
    return row ? toRetrainingRun(row) : null;
  }
}

@Resolver(() => RetrainingRun)
export class RetrainingRunResolver {
  @FieldResolver(() => DatasetVersion, {
    nullable: true,
    description: "The version with the corrections it trained on",
  })
  datasetVersion(@Root() run: RetrainingRun, @Ctx() ctx: RequestContext) {
    return run.datasetVersionId ? visibleDatasetVersion(ctx, run.datasetVersionId) : null;
  }

  @FieldResolver(() => TrainingJob, { nullable: true })
  async trainingJob(@Root() run: RetrainingRun, @Ctx() ctx: RequestContext) {
    const job = run.trainingJobId ? await ctx.loaders.trainingJobById.load(run.trainingJobId) : null;
    return job && canSeeJob(ctx.viewer, job) ? job : null;
  }

  @FieldResolver(() => ModelVersion, {
    nullable: true,
    description: "The version behind the alias when it was scored",
  })
  champion(@Root() run: RetrainingRun, @Ctx() ctx: RequestContext) {
    return run.championVersionId ? visibleModelVersion(ctx, run.championVersionId) : null;
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: "The version the run trained" })
  async challenger(@Root() run: RetrainingRun, @Ctx() ctx: RequestContext) {
    // Before the decision is stored, the training job's result is the challenger already.
    const trained = run.trainingJobId
      ? await ctx.loaders.trainingResultByJobId.load(run.trainingJobId)
      : null;
    const id = run.challengerVersionId ?? trained?.id;
    return id ? visibleModelVersion(ctx, id) : null;
  }
}
