import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { DatasetVersion } from "../datasets.types";
import { QualityReport } from "./quality.types";

@Resolver(() => DatasetVersion)
export class DatasetVersionQualityResolver {
  @FieldResolver(() => QualityReport, {
    description: "Computed on first read and again once embeddings arrive; stored with the version",
  })
  quality(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    // The version was resolved through a visibility check, so the viewer may see its report.
    return ctx.services.datasetQuality.reportFor(version.id);
  }
}
