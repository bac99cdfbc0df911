import {
  Arg,
  Ctx,
  Extensions,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { limits } from "../limits";
import { ModelVersion } from "../models/models.types";
import {
  Deployment,
  DeploymentConfig,
  DeploymentConfigInput,
  PredictionLogConfig,
} from "./deployments.types";
import { predictionLogOf } from "../feedback/predictions/prediction-log-config";
import {
  Classification,
  DepthEstimate,
  EmbeddingMethod,
  ImageEmbedding,
  ImageInput,
  ObjectDetections,
  Segmentation,
} from "./inference.types";
import { detectionDefaults } from "./detection-messages";
import { fieldCost } from "../graphql/field-costs";

@Resolver(() => Deployment)
export class DeploymentResolver {
  @Query(() => [Deployment], { description: "Deployments of model versions you can see" })
  deployments(@Ctx() ctx: RequestContext) {
    return ctx.services.deployments.list(ctx.viewer);
  }

  @Extensions(fieldCost.tierJob)
  @Mutation(() => Deployment, {
    description: "Loads the version on every inference tier; returns once it is READY or FAILED",
  })
  deployModelVersion(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID) id: string,
    @Arg("config", () => DeploymentConfigInput, { nullable: true }) config?: DeploymentConfigInput,
  ) {
    return ctx.services.deployments.deploy(ctx.viewer, id, config);
  }

  @Mutation(() => Boolean)
  undeployModelVersion(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.deployments.undeploy(ctx.viewer, id);
  }

  @FieldResolver(() => ModelVersion)
  modelVersion(@Root() deployment: Deployment, @Ctx() ctx: RequestContext) {
    return ctx.loaders.versionById.load(deployment.modelVersionId);
  }
}

@Resolver(() => DeploymentConfig)
export class DeploymentConfigResolver {
  @FieldResolver(() => PredictionLogConfig)
  predictionLog(@Root() config: DeploymentConfig) {
    return predictionLogOf(config);
  }
}

@Resolver(() => ModelVersion)
export class ModelVersionDeploymentResolver {
  @FieldResolver(() => Deployment, { nullable: true, description: "Where this version is served, if it is" })
  deployment(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    // The version itself was resolved through a visibility check.
    return ctx.loaders.deploymentByVersionId.load(version.id);
  }
}

@Resolver()
export class InferenceResolver {
  @Extensions(fieldCost.inference)
  @Mutation(() => Classification, {
    description: "Top-k labels for an image; deploys the version on first use",
  })
  classifyImage(
    @Ctx() ctx: RequestContext,
    @Arg("modelVersionId", () => ID) modelVersionId: string,
    @Arg("image", () => ImageInput) image: ImageInput,
    @Arg("topK", () => Int, { nullable: true, defaultValue: 5, description: `1 to ${limits.inference.topK}` })
    topK: number | null,
    @Arg("useCache", () => Boolean, {
      nullable: true,
      defaultValue: true,
      description:
        "false: ask the model even when the same image was answered by the same served version before",
    })
    useCache: boolean | null,
  ) {
    return ctx.services.inference.classify(
      ctx.viewer,
      modelVersionId,
      image,
      topK ?? 5,
      ctx.signal,
      useCache ?? true,
    );
  }

  @Extensions(fieldCost.inference)
  @Mutation(() => ImageEmbedding, {
    description:
      "A vector for an image, from system/feature-embedder (FEATURE) or an ONNX backbone (ML, HYBRID)",
  })
  embedImage(
    @Ctx() ctx: RequestContext,
    @Arg("modelVersionId", () => ID) modelVersionId: string,
    @Arg("image", () => ImageInput) image: ImageInput,
    @Arg("method", () => EmbeddingMethod, { nullable: true }) method?: EmbeddingMethod,
    @Arg("dimension", () => Int, {
      nullable: true,
      description: `1 to ${limits.inference.embeddingDimension}; left out: the method's own width`,
    })
    dimension?: number,
  ) {
    return ctx.services.inference.embed(
      ctx.viewer,
      modelVersionId,
      image,
      method ?? null,
      dimension ?? null,
      ctx.signal,
    );
  }

  @Extensions(fieldCost.inference)
  @Mutation(() => DepthEstimate, { description: "A depth map for an image, as PNGs behind short-lived URLs" })
  estimateDepth(
    @Ctx() ctx: RequestContext,
    @Arg("modelVersionId", () => ID) modelVersionId: string,
    @Arg("image", () => ImageInput) image: ImageInput,
  ) {
    return ctx.services.inference.estimateDepth(ctx.viewer, modelVersionId, image, ctx.downloads, ctx.signal);
  }

  @Extensions(fieldCost.inference)
  @Mutation(() => Segmentation, { description: "A class-index mask for an image with per-class areas" })
  segmentImage(
    @Ctx() ctx: RequestContext,
    @Arg("modelVersionId", () => ID) modelVersionId: string,
    @Arg("image", () => ImageInput) image: ImageInput,
  ) {
    return ctx.services.inference.segment(ctx.viewer, modelVersionId, image, ctx.downloads, ctx.signal);
  }

  @Extensions(fieldCost.inference)
  @Mutation(() => ObjectDetections, {
    description:
      "Objects in an image (a DETECTION model: YOLOv8's [1, 4+C, N] output or an NMS export's [1, N, 6]), boxes in the image's pixels, with the image annotated",
  })
  detectObjects(
    @Ctx() ctx: RequestContext,
    @Arg("modelVersionId", () => ID) modelVersionId: string,
    @Arg("image", () => ImageInput) image: ImageInput,
    @Arg("minScore", () => Float, {
      nullable: true,
      defaultValue: detectionDefaults.minScore,
      description: "Boxes scoring below this are dropped; above 0, at most 1",
    })
    minScore: number | null,
    @Arg("iou", () => Float, {
      nullable: true,
      defaultValue: detectionDefaults.iou,
      description:
        "A box overlapping a better box of its class by more than this IoU is dropped; above 0, at most 1",
    })
    iou: number | null,
    @Arg("maxDetections", () => Int, {
      nullable: true,
      defaultValue: detectionDefaults.maxDetections,
      description: `At most this many boxes, best first; 1 to ${limits.detection.maxDetections}`,
    })
    maxDetections: number | null,
  ) {
    return ctx.services.inference.detect(
      ctx.viewer,
      modelVersionId,
      image,
      {
        minScore: minScore ?? detectionDefaults.minScore,
        iou: iou ?? detectionDefaults.iou,
        maxDetections: maxDetections ?? detectionDefaults.maxDetections,
      },
      ctx.downloads,
      ctx.signal,
    );
  }
}
