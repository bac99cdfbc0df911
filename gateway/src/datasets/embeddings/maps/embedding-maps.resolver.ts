import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../graphql/context";
import { fieldCost } from "../../../graphql/field-costs";
import { limits } from "../../../limits";
import { DatasetVersion, Sample } from "../../datasets.types";
import { samplesOf } from "./embedding-maps.service";
import { EmbeddingMap, EmbeddingMapPoints, ProjectionMethod } from "./embedding-maps.types";

@Resolver()
export class EmbeddingMapsResolver {
  @Extensions(fieldCost.tierJob)
  @Mutation(() => EmbeddingMap, {
    description:
      "The version's map in the space by the method: the stored one when it is current, the running one, or a new " +
      "job when there is none, the last one failed or the space's vectors changed since; owner or admin. At most " +
      "the points ProjectionMethod names (BAD_USER_INPUT beyond).",
  })
  computeEmbeddingMap(
    @Ctx() ctx: RequestContext,
    @Arg("versionId", () => ID) versionId: string,
    @Arg("space", () => String, { description: 'An embedding space\'s key, e.g. "FEATURE/256"' })
    space: string,
    @Arg("method", () => ProjectionMethod, { nullable: true, defaultValue: ProjectionMethod.PCA })
    method: ProjectionMethod | null,
  ): Promise<EmbeddingMap> {
    return ctx.services.embeddingMaps.compute(ctx.viewer, versionId, space, method ?? ProjectionMethod.PCA);
  }
}

@Resolver(() => DatasetVersion)
export class VersionEmbeddingMapResolver {
  @FieldResolver(() => EmbeddingMap, {
    nullable: true,
    description: "The stored (or running) map of this version in the space; null when never computed",
  })
  embeddingMap(
    @Root() version: DatasetVersion,
    @Ctx() ctx: RequestContext,
    @Arg("space", () => String) space: string,
    @Arg("method", () => ProjectionMethod, { nullable: true, defaultValue: ProjectionMethod.PCA })
    method: ProjectionMethod | null,
  ): Promise<EmbeddingMap | null> {
    return ctx.services.embeddingMaps.mapOf(version.id, space, method ?? ProjectionMethod.PCA);
  }
}

@Resolver(() => EmbeddingMap)
export class EmbeddingMapResolver {
  @FieldResolver(() => EmbeddingMapPoints, {
    nullable: true,
    description: "Null until the map's job SUCCEEDED",
  })
  points(@Root() map: EmbeddingMap, @Ctx() ctx: RequestContext): Promise<EmbeddingMapPoints | null> {
    return ctx.services.embeddingMaps.points(map);
  }

  @FieldResolver(() => [Sample], {
    description:
      `The version's samples among \`ids\` (1 to ${limits.pageSize}), in that order: hover thumbnails and a ` +
      "lasso selection shown in the grid; an id not in the version is left out",
  })
  samples(
    @Root() map: EmbeddingMap,
    @Ctx() ctx: RequestContext,
    @Arg("ids", () => [ID]) ids: string[],
  ): Promise<Sample[]> {
    return samplesOf(ctx.prisma, map.versionId, ids);
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether the space's vectors of the version changed since the stored points were computed " +
      "(computeEmbeddingMap then computes it again)",
  })
  stale(@Root() map: EmbeddingMap, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.embeddingMaps.isStale(map);
  }
}

export const embeddingMapResolvers = [
  EmbeddingMapsResolver,
  VersionEmbeddingMapResolver,
  EmbeddingMapResolver,
] as const;
