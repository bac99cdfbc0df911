import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { fieldCost } from "../graphql/field-costs";
import { User } from "../users/users.types";
import type { UserUsage as Usage } from "./quotas.service";
import { UserQuota, UserQuotaInput, UserUsage } from "./quotas.types";

@Resolver(() => User)
export class UserUsageResolver {
  @FieldResolver(() => UserUsage, {
    description: "The user's usage and limits: the user themselves and admins; FORBIDDEN to other members",
  })
  @Extensions(fieldCost.userAggregate)
  async usage(@Root() user: User, @Ctx() ctx: RequestContext): Promise<UserUsage> {
    return usageView(await usageOf(ctx, user.id));
  }
}

@Resolver(() => UserQuota)
export class UserQuotaResolver {
  @Mutation(() => UserQuota, {
    description: "Admins only (FORBIDDEN otherwise; NOT_FOUND for an unknown user). Sets one user's limits",
  })
  async setUserQuota(
    @Arg("userId", () => ID) userId: string,
    @Arg("input", () => UserQuotaInput) input: UserQuotaInput,
    @Ctx() ctx: RequestContext,
  ) {
    const quota = await ctx.services.quotas.setUserQuota(ctx.viewer, userId, input);
    // Mutations run one after another: a later setUserQuota's `usage` in this operation sees these limits.
    ctx.loaders.usageByUser.delete(userId);
    return quota;
  }

  @FieldResolver(() => UserUsage, { description: "The user's usage under the limits as now set" })
  @Extensions(fieldCost.userAggregate)
  async usage(@Root() quota: UserQuota, @Ctx() ctx: RequestContext): Promise<UserUsage> {
    return usageView(await usageOf(ctx, quota.userId));
  }
}

/** Read once per request and user (quotas.loader.ts). */
function usageOf(ctx: RequestContext, userId: string): Promise<Usage> {
  const memo = ctx.loaders.usageByUser;
  let usage = memo.get(userId);
  if (!usage) {
    usage = ctx.services.quotas.usage(ctx.viewer, userId);
    memo.set(userId, usage);
  }
  return usage;
}

function usageView(usage: Usage): UserUsage {
  return {
    exempt: usage.exempt,
    storedBytes: { used: usage.storedBytes, limit: usage.limits.storedBytes },
    concurrentJobs: { used: usage.concurrentJobs, limit: usage.limits.concurrentJobs },
    expensiveRequests: { ...usage.expensive, limitPerMinute: usage.limits.expensivePerMinute },
  };
}
