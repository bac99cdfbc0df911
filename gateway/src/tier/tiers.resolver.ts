import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { Deployment } from "../inference/deployments.types";
import { DeploymentPlacement, Tier } from "./tiers.types";

@Resolver(() => Tier)
export class TiersResolver {
  @Query(() => [Tier], {
    description:
      "Admins only: every inference tier this gateway calls, with readiness, load, models and device (FORBIDDEN for others)",
  })
  tiers(@Ctx() ctx: RequestContext) {
    return ctx.services.tiers.list(ctx.viewer);
  }
}

@Resolver(() => Deployment)
export class DeploymentPlacementResolver {
  @FieldResolver(() => DeploymentPlacement, {
    description: "The tiers it is loaded on, as this gateway places it (every replica computes the same)",
  })
  placement(@Root() deployment: Deployment, @Ctx() ctx: RequestContext) {
    return ctx.services.tiers.placement(ctx.viewer, deployment);
  }
}
