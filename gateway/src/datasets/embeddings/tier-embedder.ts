import { loadTasks } from "@tessera/proto/tasks";
import { AppError, ErrorCode } from "../../errors";
import type { DeploymentsService } from "../../inference/deployments.service";
import { EmbeddingMethod } from "../../inference/inference.types";
import type { TierClient } from "../../tier/tier-client";
import type { Viewer } from "../../users/access";
import { builtinEmbedFields, type SpaceRow } from "./embedding-spaces";

/** Per image: its vector, or why the tier refused that image. */
export type EmbedOutcome = { vector: number[] } | { error: string };

/**
 * Images → vectors of one space through the tier's Embed. FEATURE runs on the tier's built-in
 * embedder; ML and HYBRID need the backbone deployed, which `servingTarget` does on behalf of
 * `viewer` (for a job: the dataset's owner).
 */
export class TierEmbedder {
  constructor(
    private readonly tier: TierClient,
    private readonly deployments: DeploymentsService,
  ) {}

  /** One call for the batch; throws when the tier is unreachable (callers retry later). */
  async embed(
    space: SpaceRow,
    images: Buffer[],
    viewer: Viewer | null,
    signal?: AbortSignal,
  ): Promise<number[][]> {
    const backbone =
      space.method === EmbeddingMethod.FEATURE || !space.modelVersionId
        ? null
        : await this.deployments.servingTarget(viewer, space.modelVersionId, signal);
    const builtin = builtinEmbedFields(space);
    const response = await this.tier.unary(
      loadTasks().TaskService.service.Embed,
      {
        images,
        method: space.method,
        dimension: space.dimension,
        backbone_model_name: backbone?.tierModelName ?? builtin?.backbone_model_name ?? "",
        backbone_model_version: backbone?.tierModelVersion ?? builtin?.backbone_model_version ?? "",
      },
      { signal },
    );
    return response.embeddings.map((e) => e.values);
  }

  /**
   * A batch the tier refuses as bad input is retried image by image, so one undecodable image
   * costs only itself; any other error (tier down, deadline) is thrown for the job to retry.
   */
  async embedEach(
    space: SpaceRow,
    images: Buffer[],
    viewer: Viewer | null,
    signal?: AbortSignal,
  ): Promise<EmbedOutcome[]> {
    try {
      return (await this.embed(space, images, viewer, signal)).map((vector) => ({ vector }));
    } catch (error) {
      if (!isBadImage(error) || images.length === 1) {
        if (isBadImage(error)) return [{ error: (error as Error).message }];
        throw error;
      }
    }
    const outcomes: EmbedOutcome[] = [];
    for (const image of images) outcomes.push(...(await this.embedEach(space, [image], viewer, signal)));
    return outcomes;
  }
}

const isBadImage = (error: unknown) => error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT;
