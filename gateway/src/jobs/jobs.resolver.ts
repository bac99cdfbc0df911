import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from "type-graphql";
import { connection, firstArg, pageWindow } from "../graphql/connection";
import type { RequestContext } from "../graphql/context";
import { requireViewer } from "../users/access";
import { User } from "../users/users.types";
import { JobEvent, toJobEvent } from "./job-event.types";
import { toJob } from "./job-rows";
import { listJobs } from "./jobs.query";
import { mapRecords } from "./map-records";
import { canSeeJob } from "./jobs.service";
import { Job, JobConnection, JobFilter } from "./jobs.types";

@Resolver(() => Job)
export class JobResolver {
  @Query(() => JobConnection, {
    description: "Your jobs of every kind, newest first (admins: everyone's; narrow with `filter.owner`)",
  })
  async jobs(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => JobFilter, { nullable: true }) filter?: JobFilter,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ): Promise<JobConnection> {
    const viewer = requireViewer(ctx.viewer);
    const { offset, limit } = pageWindow(first, after);
    const { rows, totalCount } = await listJobs(ctx.prisma, viewer, { filter, offset, limit });
    return connection(rows.map(toJob), offset, totalCount);
  }

  @Query(() => Job, { nullable: true, description: "Null when it does not exist or is not yours" })
  async job(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string): Promise<Job | null> {
    const row = await ctx.services.jobs.find(ctx.viewer, id);
    return row ? toJob(row) : null;
  }

  @Mutation(() => Job, {
    description:
      "QUEUED: cancelled at once. RUNNING: its worker stops within a second. Finished: CONFLICT. Owner or admin.",
  })
  async cancelJob(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string): Promise<Job> {
    return toJob(await ctx.services.jobs.cancel(ctx.viewer, id));
  }

  @Subscription(() => JobEvent, {
    description:
      "The job's current state (a JobSnapshotEvent) first, then every later event once, in order; ends after it finishes",
    subscribe: async ({
      args,
      context,
    }: SubscribeResolverData<unknown, { jobId: string }, RequestContext>) => {
      const { kind, records } = await context.services.jobs.follow(
        context.viewer,
        args.jobId,
        context.signal,
      );
      return mapRecords(records, (record) => toJobEvent(record, kind));
    },
  })
  jobEvents(@Root() event: typeof JobEvent, @Arg("jobId", () => ID) _jobId: string): typeof JobEvent {
    return event;
  }

  @FieldResolver(() => User)
  async owner(@Root() job: Job, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(job.ownerId);
  }

  @FieldResolver(() => Job, {
    nullable: true,
    description: "The job that started this one (e.g. a search over trials)",
  })
  async parent(@Root() job: Job, @Ctx() ctx: RequestContext): Promise<Job | null> {
    if (!job.parentId) return null;
    const row = await ctx.loaders.jobById.load(job.parentId);
    return row && canSeeJob(ctx.viewer, row) ? toJob(row) : null;
  }
}
