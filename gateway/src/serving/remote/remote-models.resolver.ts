import { Arg, Ctx, Extensions, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { fieldCost } from "../../graphql/field-costs";
import { Framework, ModelVersion } from "../../models/models.types";
import { limits } from "../../limits";
import { RegisterRemoteModelInput, RemoteModel } from "../serving.types";
import { defaultBreakerSettings } from "./remote-guard";

@Resolver()
export class RemoteModelsResolver {
  @Extensions(fieldCost.write)
  @Mutation(() => ModelVersion, {
    description:
      "Registers an HTTP classification endpoint as a version of a remote model (framework REMOTE): a new model, or a new version of your remote model with that slug. " +
      "Calls POST <url>/classify {model, image (data URL), labels, top_k} and expects {predictions: [{label, score}]}; " +
      `the answer may be at most ${limits.serving.remote.responseBytes} bytes. Calls go through a circuit breaker (${defaultBreakerSettings.failures} consecutive failures — 5xx, timeouts, network errors, invalid answers, not 4xx — pause calls for ${defaultBreakerSettings.halfOpenAfterMs / 1000} s, then one trial call) and the token buckets of rateLimit (per gateway replica), and honour 429 Retry-After (no call until then; RATE_LIMITED meanwhile). ` +
      "Deploy it like any version; an ensemble can use it as a member with offline fallbacks.",
  })
  registerRemoteModel(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => RegisterRemoteModelInput) input: RegisterRemoteModelInput,
  ) {
    return ctx.services.remoteModels.register(ctx.viewer, input);
  }
}

@Resolver(() => ModelVersion)
export class ModelVersionRemoteResolver {
  @FieldResolver(() => RemoteModel, {
    nullable: true,
    description:
      "A REMOTE version's endpoint and its circuit on this gateway replica; only for its owner and admins (null for others and for other versions)",
  })
  async remote(@Root() version: ModelVersion, @Ctx() ctx: RequestContext): Promise<RemoteModel | null> {
    const viewer = ctx.viewer;
    if (!viewer) return null;
    const model = await ctx.loaders.modelById.load(version.modelId);
    if (!model || model.framework !== Framework.REMOTE) return null;
    if (viewer.role !== "ADMIN" && viewer.id !== model.ownerId) return null;
    return ctx.services.remoteModels.scores.describe(version.id);
  }
}
