import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { fieldCost } from "../../graphql/field-costs";
import { limits } from "../../limits";
import { User } from "../../users/users.types";
import { DatasetVersion } from "../datasets.types";
import type { QualityFindingKind as Kind } from "./quality-input";
import { QualityDismissal, QualityFindingKind, QualityReport } from "./quality.types";

const baseModelArg = {
  nullable: true,
  description:
    "Judge image sizes against this model version's input (its deployment's preprocessing size, else its input " +
    "tensor's fixed size): images it must enlarge more than 2× are LOW_RESOLUTION. Without it sizes are not judged",
} as const;

@Resolver(() => DatasetVersion)
export class DatasetVersionQualityResolver {
  @FieldResolver(() => QualityReport, {
    description:
      "Every check but sizes is computed on first read and again once embeddings arrive, and stored with the " +
      "version; sizes are judged on request against `baseModelVersionId`; dismissals apply on every read",
  })
  quality(
    @Root() version: DatasetVersion,
    @Ctx() ctx: RequestContext,
    @Arg("baseModelVersionId", () => ID, baseModelArg) baseModelVersionId?: string | null,
  ) {
    // The version was resolved through a visibility check, so the viewer may see its report.
    return ctx.services.datasetQuality.reportFor(version.id, { viewer: ctx.viewer, baseModelVersionId });
  }
}

@Resolver(() => QualityReport)
export class QualityDismissalsResolver {
  @Extensions(fieldCost.write)
  @Mutation(() => QualityReport, {
    description:
      "Sets the version's finding of `kind` aside (the dataset's owner only): it stays listed, dismissed, and deducts " +
      "nothing. The finding must be in the report; dismissing again replaces the reason",
  })
  dismissQualityFinding(
    @Ctx() ctx: RequestContext,
    @Arg("versionId", () => ID) versionId: string,
    @Arg("kind", () => QualityFindingKind) kind: Kind,
    @Arg("reason", () => String, {
      nullable: true,
      description: `At most ${limits.qualityDismissalReasonLength} characters`,
    })
    reason?: string | null,
    @Arg("baseModelVersionId", () => ID, baseModelArg) baseModelVersionId?: string | null,
  ) {
    return ctx.services.datasetQuality.dismiss(ctx.viewer, versionId, kind, reason, baseModelVersionId);
  }

  @Extensions(fieldCost.write)
  @Mutation(() => QualityReport, {
    description:
      "Counts a dismissed finding in the score again (the dataset's owner only); a no-op when not dismissed",
  })
  restoreQualityFinding(
    @Ctx() ctx: RequestContext,
    @Arg("versionId", () => ID) versionId: string,
    @Arg("kind", () => QualityFindingKind) kind: Kind,
    @Arg("baseModelVersionId", () => ID, baseModelArg) baseModelVersionId?: string | null,
  ) {
    return ctx.services.datasetQuality.restore(ctx.viewer, versionId, kind, baseModelVersionId);
  }
}

@Resolver(() => QualityDismissal)
export class QualityDismissalResolver {
  @FieldResolver(() => User, { nullable: true, description: "Null when that user has been deleted" })
  dismissedBy(@Root() dismissal: QualityDismissal, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(dismissal.dismissedById);
  }
}
