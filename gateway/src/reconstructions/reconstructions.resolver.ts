import {
  Arg,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from "type-graphql";
import { badInput } from "../errors";
import { connection, firstArg, pageWindow } from "../graphql/connection";
import type { RequestContext } from "../graphql/context";
import { fieldCost } from "../graphql/field-costs";
import { toJob } from "../jobs/job-rows";
import { Job } from "../jobs/jobs.types";
import { ModelVersion } from "../models/models.types";
import { Scene } from "../scenes/scenes.types";
import { visibleModelVersion } from "../training/training-lineage";
import { canSee } from "../users/access";
import { User } from "../users/users.types";
import { ReconstructionEvent } from "./reconstruction-events.types";
import { ReconstructionPreviewEvent, ReconstructionStepEvent } from "./reconstruction-job-events";
import { reconstructionArtifactPath } from "./reconstruction-links";
import { reconstructionLoaders } from "./reconstruction.loaders";
import { ReconstructionFilter, ReconstructionInput } from "./reconstruction.inputs";
import { previewOf } from "./reconstruction-rows";
import { ReconstructionArtifactKind } from "./reconstruction-enums";
import { Reconstruction, ReconstructionArtifact, ReconstructionConnection } from "./reconstructions.types";

/** A signed URL of an artifact for this request's viewer. */
const artifactUrl = (ctx: RequestContext, id: string) =>
  ctx.downloads.signedUrl(reconstructionArtifactPath(id));

/** `Reconstruction.steps`: how many of the latest steps it returns by default, and at most. */
const DEFAULT_STEPS = 2_000;
const MAX_STEPS = 10_000;

@Resolver(() => Reconstruction)
export class ReconstructionResolver {
  @Extensions(fieldCost.trainingStart)
  @Mutation(() => Reconstruction, {
    description:
      "Checks the input (a refused one stores nothing and queues nothing), then queues a job that reconstructs",
  })
  startReconstruction(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ReconstructionInput) input: ReconstructionInput,
  ) {
    return ctx.services.reconstructions.start(ctx.viewer, input);
  }

  @Mutation(() => Reconstruction, {
    description: "A queued one is cancelled at once, a running one within a second; owner or admin",
  })
  cancelReconstruction(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.reconstructions.cancel(ctx.viewer, id);
  }

  @Query(() => Reconstruction, { nullable: true, description: "Null when it does not exist or is not yours" })
  reconstruction(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.reconstructions.find(ctx.viewer, id);
  }

  @Query(() => ReconstructionConnection, {
    description: "Your reconstructions (an admin's: everyone's), newest first",
  })
  async reconstructions(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => ReconstructionFilter, { nullable: true }) filter?: ReconstructionFilter,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const { offset, limit } = pageWindow(first, after);
    const page = await ctx.services.reconstructions.list(ctx.viewer, filter, { offset, limit });
    return connection(page.nodes, offset, page.totalCount);
  }

  @Subscription(() => ReconstructionEvent, {
    description:
      "Its current state first, then step, preview and state events as they happen (previews carry a URL, never image data); ends when it finishes",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { id: string }, RequestContext>) =>
      context.services.reconstructions.follow(context.viewer, args.id, context.signal),
  })
  reconstructionProgress(
    @Root() event: typeof ReconstructionEvent,
    @Arg("id", () => ID) _id: string,
  ): typeof ReconstructionEvent {
    return event;
  }

  @FieldResolver(() => [ReconstructionArtifact], {
    description: "`kind` narrows them; in the order they were made",
  })
  async artifacts(
    @Root() reconstruction: Reconstruction,
    @Ctx() ctx: RequestContext,
    @Arg("kind", () => ReconstructionArtifactKind, { nullable: true }) kind?: ReconstructionArtifactKind,
  ) {
    const all = await reconstructionLoaders(ctx).artifactsByReconstructionId.load(reconstruction.id);
    return kind ? all.filter((artifact) => artifact.kind === kind) : all;
  }

  @FieldResolver(() => [ReconstructionStepEvent], {
    description:
      `The loss and PSNR curve of a run: the last ${DEFAULT_STEPS} steps so far (\`last\`, 1 to ${MAX_STEPS}), ` +
      "one event per step (a resumed run's own), in step order (live ones come through reconstructionProgress)",
  })
  async steps(
    @Root() reconstruction: Reconstruction,
    @Ctx() ctx: RequestContext,
    @Arg("last", () => Int, {
      nullable: true,
      defaultValue: DEFAULT_STEPS,
      description: `How many of the latest steps to return, 1 to ${MAX_STEPS} (default ${DEFAULT_STEPS})`,
    })
    last: number | null,
  ) {
    const count = last ?? DEFAULT_STEPS;
    if (!Number.isInteger(count) || count < 1 || count > MAX_STEPS) {
      throw badInput(`last must be between 1 and ${MAX_STEPS}, got ${count}`, { field: "last" });
    }
    const steps = await reconstructionLoaders(ctx).stepsByReconstructionId.load(reconstruction.id);
    return steps.slice(-count);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The latest preview render (else the first turntable frame or render), signed for you",
  })
  async previewUrl(@Root() reconstruction: Reconstruction, @Ctx() ctx: RequestContext) {
    const preview = previewOf(
      await reconstructionLoaders(ctx).artifactsByReconstructionId.load(reconstruction.id),
    );
    return preview ? artifactUrl(ctx, preview.id) : null;
  }

  @FieldResolver(() => Scene, {
    nullable: true,
    description: "RADIANCE_FIELD; null once deleted or when you may not see it",
  })
  async scene(@Root() reconstruction: Reconstruction, @Ctx() ctx: RequestContext): Promise<Scene | null> {
    if (!reconstruction.sceneId) return null;
    const row = await reconstructionLoaders(ctx).sceneById.load(reconstruction.sceneId);
    if (!row || !canSee(ctx.viewer, { ownerId: row.ownerId, isPublic: row.public })) return null;
    return Object.assign(new Scene(), { ...row, sizeBytes: Number(row.sizeBytes) });
  }

  @FieldResolver(() => ModelVersion, {
    nullable: true,
    description: "The model it ran; null once deleted or when you may not see it",
  })
  modelVersion(@Root() reconstruction: Reconstruction, @Ctx() ctx: RequestContext) {
    return reconstruction.modelVersionId ? visibleModelVersion(ctx, reconstruction.modelVersionId) : null;
  }

  @FieldResolver(() => Job, { description: "The job that runs it (attempts, events, cancel)" })
  job(@Root() reconstruction: Reconstruction) {
    return toJob(reconstruction.jobRow);
  }

  @FieldResolver(() => User)
  owner(@Root() reconstruction: Reconstruction, @Ctx() ctx: RequestContext) {
    return ctx.loaders.userById.load(reconstruction.ownerId);
  }
}

@Resolver(() => ReconstructionArtifact)
export class ReconstructionArtifactResolver {
  @FieldResolver(() => String, { description: "Signed for you; expires (ask again for a fresh one)" })
  url(@Root() artifact: ReconstructionArtifact, @Ctx() ctx: RequestContext) {
    return artifactUrl(ctx, artifact.id);
  }
}

@Resolver(() => ReconstructionPreviewEvent)
export class ReconstructionPreviewEventResolver {
  @FieldResolver(() => String, { description: "The preview PNG, signed for you" })
  url(@Root() event: ReconstructionPreviewEvent, @Ctx() ctx: RequestContext) {
    return artifactUrl(ctx, event.artifactId);
  }
}

/** This module's resolvers, for the schema's one list. */
export const reconstructionResolvers = [
  ReconstructionResolver,
  ReconstructionArtifactResolver,
  ReconstructionPreviewEventResolver,
] as const;
