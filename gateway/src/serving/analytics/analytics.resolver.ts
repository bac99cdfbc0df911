import { Arg, Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Deployment } from "../../inference/deployments.types";
import { AnalyticsWindow, ServingAnalytics } from "../serving.types";

@Resolver(() => Deployment)
export class DeploymentAnalyticsResolver {
  // Reads up to a week of per-minute rows of every replica: priced like a large read.
  @Extensions({ complexity: 100 })
  @FieldResolver(() => ServingAnalytics, {
    description:
      "What this deployment's version served over the window, summed over every gateway replica (this " +
      "replica's last seconds included; another replica's current minute counts once it has ended). Latency " +
      "percentiles are the upper bounds of fixed buckets (1, 2, 5, 10, 20, 50, 100, 200, 500 ms, 1, 2, " +
      "5, 10, 30, 60 s; slower counts as 60 s), not exact values. Visible to whoever can see the version.",
  })
  analytics(
    @Root() deployment: Deployment,
    @Ctx() ctx: RequestContext,
    @Arg("window", () => AnalyticsWindow, { defaultValue: AnalyticsWindow.LAST_HOUR })
    window: AnalyticsWindow,
  ): Promise<ServingAnalytics> {
    // A Deployment reaches a viewer only through a visibility check on its version.
    return ctx.services.servingAnalytics.read(deployment.modelVersionId, window);
  }
}
