import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { forbidden } from "../../errors";
import { isAdmin, requireViewer } from "../../users/access";
import { PredictionCacheStats } from "../serving.types";

@Resolver()
export class PredictionCacheResolver {
  // Admins only: the counts span every user's models, so they say how much others classify.
  @Query(() => PredictionCacheStats, {
    description:
      "This gateway replica's prediction cache: what it holds and its hits and misses since start (admins only)",
  })
  predictionCache(@Ctx() ctx: RequestContext): PredictionCacheStats {
    if (!isAdmin(requireViewer(ctx.viewer))) {
      throw forbidden("Only an admin can read the prediction cache's statistics");
    }
    return ctx.services.predictionCache.stats();
  }
}
