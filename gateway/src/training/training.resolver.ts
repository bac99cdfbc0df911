import {
  Arg,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  type SubscribeResolverData,
  Subscription,
} from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { connection, firstArg, pageWindow } from "../graphql/connection";
import { DatasetVersion } from "../datasets/datasets.types";
import { ModelVersion } from "../models/models.types";
import { User } from "../users/users.types";
import { rankTrials } from "./search";
import { TrainingCompletedEvent, TrainingEvent } from "./training-event.types";
import { visibleDatasetVersion, visibleModelVersion } from "./training-lineage";
import { toTrial } from "./training-rows";
import { TrainingInput, TrainingJobFilter } from "./training.inputs";
import { listTrainingJobIds } from "./training.query";
import { TrainingJob, TrainingJobConnection, TrainingMetricPoint, TrainingTrial } from "./training.types";
import { fieldCost } from "../graphql/field-costs";

@Resolver(() => TrainingJob)
export class TrainingResolver {
  @Extensions(fieldCost.trainingStart)
  @Mutation(() => TrainingJob, {
    description: "Checks the input, then queues a job that trains a head on the base model's features",
  })
  startTraining(@Ctx() ctx: RequestContext, @Arg("input", () => TrainingInput) input: TrainingInput) {
    return ctx.services.training.startTraining(ctx.viewer, input);
  }

  @Mutation(() => TrainingJob, {
    description: "A queued job is cancelled at once, a running one within seconds; owner or admin",
  })
  cancelTraining(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.training.cancelTraining(ctx.viewer, id);
  }

  @Query(() => TrainingJob, { nullable: true })
  trainingJob(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.training.findJob(ctx.viewer, id);
  }

  @Query(() => TrainingJobConnection, { description: "Jobs you can see, newest first" })
  async trainingJobs(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => TrainingJobFilter, { nullable: true }) filter?: TrainingJobFilter,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const { offset, limit } = pageWindow(first, after);
    const page = await listTrainingJobIds(ctx.prisma, ctx.viewer, { filter, offset, limit });
    const jobs = await ctx.loaders.trainingJobById.loadMany(page.ids);
    return connection(
      jobs.filter((j): j is NonNullable<typeof j> & TrainingJob => !!j && !(j instanceof Error)),
      offset,
      page.totalCount,
    );
  }

  @Subscription(() => TrainingEvent, {
    description:
      "The job's current state first (and, when it has finished, how it ended), then its events as they happen; ends after TrainingCompletedEvent or TrainingFailedEvent",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { jobId: string }, RequestContext>) =>
      context.services.training.follow(context.viewer, args.jobId, context.signal),
  })
  trainingProgress(
    @Root() event: typeof TrainingEvent,
    @Arg("jobId", () => ID) _jobId: string,
  ): typeof TrainingEvent {
    return event;
  }

  @FieldResolver(() => [TrainingMetricPoint], {
    description: "The stored history, by trial, epoch and name; `name` and `trial` narrow it",
  })
  metrics(
    @Root() job: TrainingJob,
    @Ctx() ctx: RequestContext,
    @Arg("name", () => String, { nullable: true }) name?: string,
    @Arg("trial", () => Int, { nullable: true }) trial?: number,
  ) {
    return ctx.loaders.trainingMetricHistory.load({
      jobId: job.id,
      name: name ?? null,
      trial: trial ?? null,
    });
  }

  @FieldResolver(() => [TrainingTrial], {
    description: "Best first by the monitored metric (options.monitor)",
  })
  async trials(@Root() job: TrainingJob, @Ctx() ctx: RequestContext) {
    const rows = await ctx.loaders.trainingTrialsByJobId.load(job.id);
    return rankTrials(
      rows.map((row) => toTrial(row, job.labels)),
      job.options.monitor,
    );
  }

  @FieldResolver(() => ModelVersion, {
    nullable: true,
    description: "The registered model, once it succeeded",
  })
  async resultModelVersion(@Root() job: TrainingJob, @Ctx() ctx: RequestContext) {
    const version = await ctx.loaders.trainingResultByJobId.load(job.id);
    return version && visibleModelVersion(ctx, version.id);
  }

  @FieldResolver(() => DatasetVersion, {
    nullable: true,
    description: "Null once deleted, or when you may not see it",
  })
  datasetVersion(@Root() job: TrainingJob, @Ctx() ctx: RequestContext) {
    return job.datasetVersionId ? visibleDatasetVersion(ctx, job.datasetVersionId) : null;
  }

  @FieldResolver(() => ModelVersion, {
    nullable: true,
    description: "Null once deleted, or when you may not see it",
  })
  baseModelVersion(@Root() job: TrainingJob, @Ctx() ctx: RequestContext) {
    return job.baseModelVersionId ? visibleModelVersion(ctx, job.baseModelVersionId) : null;
  }

  @FieldResolver(() => User)
  owner(@Root() job: TrainingJob, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(job.ownerId);
  }
}

@Resolver(() => TrainingCompletedEvent)
export class TrainingCompletedEventResolver {
  @FieldResolver(() => ModelVersion, { nullable: true })
  resultModelVersion(@Root() event: TrainingCompletedEvent, @Ctx() ctx: RequestContext) {
    return event.resultModelVersionId ? visibleModelVersion(ctx, event.resultModelVersionId) : null;
  }
}
