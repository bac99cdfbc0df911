import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../graphql/context";
import { connection, firstArg, pageWindow } from "../graphql/connection";
import { fieldCost } from "../graphql/field-costs";
import { incomingUpload } from "../graphql/uploads";
import { User } from "../users/users.types";
import { sceneLimitNotes } from "./scene-limits";
import { listSceneIds } from "./scenes.query";
import {
  FrameSplit,
  Scene,
  SceneBounds,
  SceneConnection,
  SceneFilter,
  SceneFrame,
  SceneInput,
  SceneUploadResult,
} from "./scenes.types";

@Resolver(() => Scene)
export class SceneResolver {
  @Extensions(fieldCost.upload)
  @Mutation(() => SceneUploadResult, {
    description:
      "Uploads a posed capture: a ZIP of photos with NeRF-synthetic transforms_{train,val,test}.json, or an " +
      "instant-ngp or nerfstudio transforms.json (at the root or in one top-level folder); matrices are " +
      "camera-to-world, OpenGL. Frames whose photo is missing, undecodable or of another size than their " +
      "camera says are skipped and listed. RGBA photos are composited on `input.background`. Without " +
      `poses the server poses the photos with COLMAP when installed. Needs ${sceneLimitNotes.frames} of one size.`,
  })
  createScene(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SceneInput) input: SceneInput,
    @Arg("archive", () => GraphQLUpload) archive: Promise<FileUpload>,
  ) {
    const incoming = incomingUpload(archive, ctx.config.limits.maxUploadBytes);
    return ctx.services.sceneUploads.createScene(ctx.viewer, input, incoming, ctx.signal);
  }

  @Query(() => SceneConnection, { description: "Scenes you can see (yours and public ones), newest first" })
  async scenes(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => SceneFilter, { nullable: true }) filter?: SceneFilter,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const { offset, limit } = pageWindow(first, after);
    const page = await listSceneIds(ctx.prisma, ctx.viewer, { filter, offset, limit });
    const scenes = await ctx.loaders.sceneById.loadMany(page.ids);
    return connection(
      scenes.filter((s): s is Scene => !!s && !(s instanceof Error)),
      offset,
      page.totalCount,
    );
  }

  @Query(() => Scene, { description: "NOT_FOUND when it does not exist or you cannot see it" })
  scene(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.scenes.visibleScene(ctx.viewer, id);
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => Boolean, { description: "Deletes the scene and its frames (owner or admin)" })
  deleteScene(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.scenes.deleteScene(ctx.viewer, id);
  }

  @FieldResolver(() => User)
  owner(@Root() scene: Scene, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(scene.ownerId);
  }

  @FieldResolver(() => SceneBounds, { description: "The box a reconstruction fills, from the cameras" })
  bounds(@Root() scene: Scene): SceneBounds {
    return { min: scene.boundsMin, max: scene.boundsMax };
  }

  @FieldResolver(() => [SceneFrame], { description: "By index: train frames, then val, then test" })
  async frames(
    @Root() scene: Scene,
    @Ctx() ctx: RequestContext,
    @Arg("split", () => FrameSplit, { nullable: true }) split?: FrameSplit,
  ) {
    const frames = await ctx.loaders.framesBySceneId.load(scene.id);
    return split ? frames.filter((frame) => frame.split === split) : frames;
  }
}

@Resolver(() => SceneFrame)
export class SceneFrameResolver {
  @FieldResolver(() => String, {
    description: "The RGB PNG as stored (signed, short-lived URL; Range supported)",
  })
  imageUrl(@Root() frame: SceneFrame, @Ctx() ctx: RequestContext) {
    return ctx.downloads.sceneFrameImageUrl(frame.id);
  }

  @FieldResolver(() => String, {
    description: "A WebP preview, at most 256 px on the long side (signed URL)",
  })
  thumbnailUrl(@Root() frame: SceneFrame, @Ctx() ctx: RequestContext) {
    return ctx.downloads.sceneFrameThumbnailUrl(frame.id);
  }
}
