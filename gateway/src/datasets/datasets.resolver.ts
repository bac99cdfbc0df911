import { badInput } from "../errors";
import { limits } from "../limits";
import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { connection, firstArg, pageWindow } from "../graphql/connection";
import { searchLimitNote } from "../graphql/owned-list-sql";
import { decodeSampleCursor, sampleConnection, samplePageSize } from "./sample-cursor";
import { User } from "../users/users.types";
import { listDatasetIds } from "./datasets.query";
import {
  ClassCount,
  Dataset,
  DatasetConnection,
  DatasetFilter,
  DatasetVersion,
  Sample,
  SampleConnection,
  VersionDiff,
} from "./datasets.types";
import { fieldCost } from "../graphql/field-costs";

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => DatasetConnection, {
    description: "Datasets you can see, newest first, filtered and searched",
  })
  async datasets(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => DatasetFilter, { nullable: true }) filter?: DatasetFilter,
    @Arg("search", () => String, {
      nullable: true,
      description: `Words of the name, description or tags; each may be the start of a word; ${searchLimitNote}`,
    })
    search?: string,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const { offset, limit } = pageWindow(first, after);
    const page = await listDatasetIds(ctx.prisma, ctx.viewer, { filter, search, offset, limit });
    const datasets = await ctx.loaders.datasetById.loadMany(page.ids);
    return connection(
      datasets.filter((d): d is Dataset => !!d && !(d instanceof Error)),
      offset,
      page.totalCount,
    );
  }

  @Query(() => Dataset, { nullable: true })
  dataset(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.datasets.findDataset(ctx.viewer, id);
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => Boolean, { description: "Deletes the dataset, all its versions and their images" })
  deleteDataset(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.datasets.deleteDataset(ctx.viewer, id);
  }

  @FieldResolver(() => User)
  owner(@Root() dataset: Dataset, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(dataset.ownerId);
  }

  @FieldResolver(() => [DatasetVersion], { description: "Newest first" })
  versions(@Root() dataset: Dataset, @Ctx() ctx: RequestContext) {
    return ctx.loaders.versionsByDatasetId.load(dataset.id);
  }

  @FieldResolver(() => DatasetVersion, { nullable: true })
  async latestVersion(@Root() dataset: Dataset, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.versionsByDatasetId.load(dataset.id))[0] ?? null;
  }
}

@Resolver(() => DatasetVersion)
export class DatasetVersionResolver {
  @Query(() => DatasetVersion, { nullable: true })
  datasetVersion(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.datasets.findVersion(ctx.viewer, id);
  }

  @FieldResolver(() => Dataset)
  dataset(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.datasetById.load(version.datasetId);
  }

  @FieldResolver(() => [ClassCount], { description: "Classes with samples in this version, by name" })
  classes(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.classCountsByVersionId.load(version.id);
  }

  @FieldResolver(() => SampleConnection, {
    description:
      "In a stable order: by path in the upload, then id. Cursors are positions in that order: any page costs what the first does",
  })
  async samples(
    @Root() version: DatasetVersion,
    @Ctx() ctx: RequestContext,
    @Arg("classId", () => ID, { nullable: true }) classId?: string,
    @Arg("split", () => String, {
      nullable: true,
      description: `train, validation or test (at most ${limits.nameLength} characters)`,
    })
    split?: string,
    @Arg("first", () => Int, firstArg(50)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    // Filters are remembered per version (sample-filter-stats): a bounded key keeps that bounded.
    if (split !== undefined && split !== null && split.length > limits.nameLength) {
      throw badInput(`split is at most ${limits.nameLength} characters`, { field: "split" });
    }
    const limit = samplePageSize(first, 50);
    const position = decodeSampleCursor(after);
    const filter = { classId: classId ?? null, split: split ?? null };
    const page = await ctx.loaders.samplePage.load({
      versionId: version.id,
      ...filter,
      after: position,
      limit,
    });
    // Unfiltered, the total is the version's own count: no statement counts 100,000 rows per page.
    const unfiltered = filter.classId === null && filter.split === null;
    return sampleConnection(
      page.samples,
      position,
      page.hasNextPage,
      unfiltered ? version.imageCount : page.totalCount,
    );
  }

  @FieldResolver(() => SampleConnection, {
    description:
      "The version's unlabeled pool (samples without a class; their `class` is null), by path in the upload, then id",
  })
  async unlabeledSamples(
    @Root() version: DatasetVersion,
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, firstArg(50)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const limit = samplePageSize(first, 50);
    const position = decodeSampleCursor(after);
    const page = await ctx.loaders.unlabeledPage.load({ versionId: version.id, after: position, limit });
    return sampleConnection(page.samples, position, page.hasNextPage, version.unlabeledCount);
  }

  @FieldResolver(() => VersionDiff, {
    description: "This version compared with another of the dataset by content (image sha256), per class too",
  })
  diff(
    @Root() version: DatasetVersion,
    @Ctx() ctx: RequestContext,
    @Arg("against", () => ID) against: string,
  ) {
    return ctx.services.datasets.diff(ctx.viewer, version, against);
  }
}

@Resolver(() => Sample)
export class SampleResolver {
  @FieldResolver(() => String, {
    description: "The original image (signed, short-lived URL; Range supported)",
  })
  imageUrl(@Root() sample: Sample, @Ctx() ctx: RequestContext) {
    return ctx.downloads.sampleImageUrl(sample.id);
  }

  @FieldResolver(() => String, {
    description: "A WebP preview, at most 256 px on the long side (signed, short-lived URL)",
  })
  thumbnailUrl(@Root() sample: Sample, @Ctx() ctx: RequestContext) {
    return ctx.downloads.sampleThumbnailUrl(sample.id);
  }
}
