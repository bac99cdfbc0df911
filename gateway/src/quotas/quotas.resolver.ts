import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { User } from "../users/users.types";
import type { UserUsage as Usage } from "./quotas.service";
import { UserQuota, UserQuotaInput, UserUsage } from "./quotas.types";

@Resolver(() => User)
export class UserUsageResolver {
  @FieldResolver(() => UserUsage, {
    description: "The user's usage and limits: the user themselves and admins; FORBIDDEN to other members",
  })
  async usage(@Root() user: User, @Ctx() ctx: RequestContext): Promise<UserUsage> {
    return usageView(await ctx.services.quotas.usage(ctx.viewer, user.id));
  }
}

@Resolver(() => UserQuota)
export class UserQuotaResolver {
  @Mutation(() => UserQuota, {
    description: "Admins only (FORBIDDEN otherwise; NOT_FOUND for an unknown user). Sets one user's limits",
  })
  setUserQuota(
    @Arg("userId", () => ID) userId: string,
    @Arg("input", () => UserQuotaInput) input: UserQuotaInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.quotas.setUserQuota(ctx.viewer, userId, input);
  }

  @FieldResolver(() => UserUsage, { description: "The user's usage under the limits as now set" })
  async usage(@Root() quota: UserQuota, @Ctx() ctx: RequestContext): Promise<UserUsage> {
    return usageView(await ctx.services.quotas.usage(ctx.viewer, quota.userId));
  }
}

function usageView(usage: Usage): UserUsage {
  return {
    exempt: usage.exempt,
    storedBytes: { used: usage.storedBytes, limit: usage.limits.storedBytes },
    concurrentJobs: { used: usage.concurrentJobs, limit: usage.limits.concurrentJobs },
    expensiveRequests: { ...usage.expensive, limitPerMinute: usage.limits.expensivePerMinute },
  };
}
