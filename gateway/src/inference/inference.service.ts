import type { Readable } from "node:stream";
import type { FileUpload } from "graphql-upload-minimal";
import { loadTasks } from "@tessera/proto/tasks";
import { AppError, badInput, ErrorCode, failedPrecondition } from "../errors";
import { readBounded } from "./read-bounded";
import type { TierClient, UnaryMethod } from "../tier/tier-client";
import { assertCanSee, type Viewer } from "../users/access";
import type { InferenceArtifacts } from "./artifacts";
import type { BlobStore } from "../storage/blob-store";
import type { DeploymentsService } from "./deployments.service";
import { InferenceTask } from "./deployments.types";
import { EmbeddingMethod, type ImageInput } from "./inference.types";
import type { PrismaClient } from "../generated/prisma/client";
import { isUuid } from "../graphql/ids";
import { builtinTierName, builtinTierVersion, FEATURE_EMBEDDER_SLUG } from "./builtin-models";
import { checkRange, limits } from "../limits";
import type { PredictionLog } from "../feedback/predictions/prediction-log";
import { outputOrder } from "../feedback/predictions/prediction-log";
import { predictionLogOf } from "../feedback/predictions/prediction-log-config";
import type { ActiveAdjustments } from "../feedback/predictions/active-adjustments";
import { adjustedPredictions } from "../feedback/predictions/adjusted-predictions";
import { imageDigest, type Scoring } from "../serving/scoring";
import type { DetectResponse__Output } from "@tessera/proto/generated/tessera/tasks/v1/DetectResponse";
import { annotatedPng } from "./detection-overlay";
import {
  asDetectionError,
  checkDetectionOptions,
  detectedObjectsOf,
  detectionScored,
  type DetectionOptions,
} from "./detection-messages";

export interface ImageLimits {
  maxImageBytes: number;
}

/** Where classifications are logged, and the feedback adjustments they are returned beside. */
export interface ClassificationFeedback {
  log: PredictionLog;
  adjustments: ActiveAdjustments;
}

/** An image to run: its bytes, and the dataset sample they came from (if they did). */
interface ResolvedImage {
  bytes: Buffer;
  sample: { id: string; sha256: string } | null;
}

/**
 * classify / embed / depth / segment: resolves the image, makes sure the version is served, calls
 * the tier's task service, and keeps produced files as short-lived artifacts.
 */
export class InferenceService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly deployments: DeploymentsService,
    private readonly tier: TierClient,
    private readonly artifacts: InferenceArtifacts,
    private readonly store: BlobStore,
    private readonly limits: ImageLimits,
    private readonly feedback: ClassificationFeedback,
    private readonly scoring: Scoring,
  ) {}

  /**
   * The top-k, and when the deployment logs predictions, the logged prediction's id. The log and
   * the adjustment need every class's score, so the tier is then asked for all of them (up to its
   * top-k bound) and the caller still gets only the top k.
   */
  async classify(
    viewer: Viewer | null,
    versionId: string,
    image: ImageInput,
    topK: number,
    signal?: AbortSignal,
    useCache = true,
  ) {
    checkRange("topK", topK, 1, limits.inference.topK);
    const { bytes, sample } = await this.resolveImage(viewer, image);
    const target = await this.target(viewer, versionId, InferenceTask.CLASSIFICATION, signal);
    const log = predictionLogOf(target.config);
    const adjustment = await this.feedback.adjustments.get(versionId);
    const imageSha256 = imageDigest(bytes);
    const scored = await this.scoring.score({
      viewer,
      versionId,
      target,
      image: bytes,
      imageSha256,
      signal,
      useCache,
    });
    const scores = scored.scores;
    const predictionId = log.enabled
      ? await this.feedback.log.record({
          modelVersionId: versionId,
          requestedById: viewer?.id ?? null,
          scores,
          latencyMs: scored.latencyMs,
          log,
          image: bytes,
          imageSha256,
          sample,
        })
      : null;
    const vector = adjustment ? outputOrder(scores) : null;
    return {
      modelVersionId: versionId,
      latencyMs: scored.latencyMs,
      predictions: scores.slice(0, topK),
      predictionId,
      adjustedPredictions: vector && adjustedPredictions(adjustment, vector.labels, vector.scores, topK),
      servedBy: scored.servedBy,
      cached: scored.cached,
      degraded: scored.degraded,
      members:
        scored.members?.map((member) => ({
          modelVersionId: member.modelVersionId,
          role: member.role,
          weight: member.weight,
          predictions: member.scores.slice(0, topK),
          latencyMs: member.latencyMs,
          servedBy: member.servedBy,
          error: member.error,
        })) ?? null,
    };
  }

  /**
   * The built-in embedder (`system/feature-embedder`) answers FEATURE; any other version is an ONNX
   * backbone for ML (its pooled output) or HYBRID (both, concatenated).
   */
  async embed(
    viewer: Viewer | null,
    versionId: string,
    image: ImageInput,
    method: EmbeddingMethod | null,
    dimension: number | null,
    signal?: AbortSignal,
  ) {
    if (dimension !== null) checkRange("dimension", dimension, 1, limits.inference.embeddingDimension);
    const bytes = await this.imageBytes(viewer, image);
    const row = isUuid(versionId)
      ? await this.prisma.modelVersion.findUnique({
          where: { id: versionId },
          include: { model: { include: { owner: true } } },
        })
      : null;
    const version = assertCanSee(viewer, row, `Model version ${versionId}`, (v) => v.model);
    const builtin = version.model.owner.isSystem && version.model.slug === FEATURE_EMBEDDER_SLUG;
    const chosen = method ?? (builtin ? EmbeddingMethod.FEATURE : EmbeddingMethod.ML);
    if (builtin && chosen !== EmbeddingMethod.FEATURE) {
      throw badInput(
        `The built-in feature embedder only computes FEATURE embeddings; give an ONNX backbone version for ${chosen}`,
      );
    }
    if (!builtin && chosen === EmbeddingMethod.FEATURE) {
      throw badInput(
        "FEATURE embeddings come from the built-in model system/feature-embedder; use its version id",
      );
    }
    const backbone = builtin ? null : await this.deployments.servingTarget(viewer, versionId, signal);
    const embedder = builtin ? builtinTierName(builtinTierVersion(version.customMetadata) ?? "1") : null;
    const request = {
      images: [bytes],
      method: chosen,
      dimension: dimension ?? 0,
      backbone_model_name: backbone?.tierModelName ?? embedder?.name ?? "",
      backbone_model_version: backbone?.tierModelVersion ?? embedder?.version ?? "",
    };
    const response = backbone
      ? await this.deployments.callTier(viewer, versionId, signal, tasks().Embed, request)
      : await this.tier.unary(tasks().Embed, request, { signal });
    const vector = response.embeddings[0]?.values ?? [];
    return {
      modelVersionId: versionId,
      vector,
      dimension: response.dimension,
      method: chosen,
      latencyMs: response.latency_ms,
    };
  }

  async estimateDepth(
    viewer: Viewer | null,
    versionId: string,
    image: ImageInput,
    links: ArtifactLinks,
    signal?: AbortSignal,
  ) {
    const response = await this.imageTask(
      viewer,
      versionId,
      image,
      InferenceTask.DEPTH,
      tasks().EstimateDepth,
      signal,
    );
    const owner = viewer?.id ?? null;
    const [depth, preview] = await Promise.all([
      this.artifacts.save(owner, "depth.png", "image/png", response.depth_png),
      this.artifacts.save(owner, "depth-preview.png", "image/png", response.preview_png),
    ]);
    return {
      modelVersionId: versionId,
      depthUrl: links.artifactUrl(depth),
      previewUrl: links.artifactUrl(preview),
      min: response.min,
      max: response.max,
      width: response.width,
      height: response.height,
      latencyMs: response.latency_ms,
    };
  }

  async segment(
    viewer: Viewer | null,
    versionId: string,
    image: ImageInput,
    links: ArtifactLinks,
    signal?: AbortSignal,
  ) {
    const response = await this.imageTask(
      viewer,
      versionId,
      image,
      InferenceTask.SEGMENTATION,
      tasks().Segment,
      signal,
    );
    const mask = await this.artifacts.save(viewer?.id ?? null, "mask.png", "image/png", response.mask_png);
    return {
      modelVersionId: versionId,
      maskUrl: links.artifactUrl(mask),
      width: response.width,
      height: response.height,
      latencyMs: response.latency_ms,
      classes: response.classes
        .map((c) => ({
          index: c.index,
          label: c.label,
          pixelCount: Number(c.pixel_count),
          fraction: c.fraction,
        }))
        .sort((a, b) => b.pixelCount - a.pixelCount),
    };
  }

  /**
   * Boxes in the image's own pixels with an annotated copy of the image. The thresholds are checked
   * here as well as by the tier, so a bad value is refused before the model is deployed.
   */
  async detect(
    viewer: Viewer | null,
    versionId: string,
    image: ImageInput,
    options: DetectionOptions,
    links: ArtifactLinks,
    signal?: AbortSignal,
  ) {
    checkDetectionOptions(options);
    const started = performance.now();
    const { bytes } = await this.resolveImage(viewer, image);
    const target = await this.deployments.servingTarget(viewer, versionId, signal);
    if (target.config.task !== InferenceTask.DETECTION) {
      throw failedPrecondition(
        `detectObjects needs a version deployed for DETECTION; this one is deployed for ${target.config.task}`,
        { field: "modelVersionId" },
      );
    }
    const request = {
      model_name: target.tierModelName,
      model_version: target.tierModelVersion,
      image: bytes,
      min_score: options.minScore,
      iou: options.iou,
      max_detections: options.maxDetections,
    };
    let servedBy = "tier";
    let response: DetectResponse__Output;
    try {
      response = await this.deployments.callTier(
        viewer,
        versionId,
        signal,
        tasks().Detect,
        request,
        (tier) => {
          servedBy = `tier:${tier}`;
        },
      );
    } catch (error) {
      const failure = asDetectionError(error);
      const errorCode = failure instanceof AppError ? failure.code : ErrorCode.INTERNAL_SERVER_ERROR;
      this.scoring.record(versionId, { errorCode, gatewayMs: performance.now() - started });
      throw failure;
    }
    const detections = detectedObjectsOf(response);
    const size = { width: response.width, height: response.height };
    const annotate = async () =>
      this.artifacts.save(
        viewer?.id ?? null,
        "detections.png",
        "image/png",
        await annotatedPng(bytes, size, detections),
      );
    const artifact = await annotate().catch((error: unknown) => {
      // The tier answered but the request still failed: analytics count it as the error it was.
      const errorCode = error instanceof AppError ? error.code : ErrorCode.INTERNAL_SERVER_ERROR;
      this.scoring.record(versionId, { errorCode, gatewayMs: performance.now() - started });
      throw error;
    });
    this.scoring.record(versionId, {
      scored: detectionScored(response, servedBy),
      gatewayMs: performance.now() - started,
    });
    return {
      modelVersionId: versionId,
      detections,
      ...size,
      latencyMs: response.latency_ms,
      annotatedImageUrl: links.artifactUrl(artifact),
    };
  }

  /** The image's bytes: an upload (bounded), or a dataset sample the viewer can see. */
  async imageBytes(viewer: Viewer | null, image: ImageInput): Promise<Buffer> {
    return (await this.resolveImage(viewer, image)).bytes;
  }

  private async resolveImage(viewer: Viewer | null, image: ImageInput): Promise<ResolvedImage> {
    if (Boolean(image.upload) === Boolean(image.sampleId)) {
      throw badInput('Give exactly one of "upload" or "sampleId" in ImageInput', { field: "image" });
    }
    if (image.sampleId) return this.sampleImage(viewer, image.sampleId);
    const upload = await (image.upload as Promise<FileUpload>);
    const bytes = await readBounded(
      upload.createReadStream() as unknown as Readable,
      this.limits.maxImageBytes,
      upload.filename,
    );
    return { bytes, sample: null };
  }

  private async sampleImage(viewer: Viewer | null, sampleId: string): Promise<ResolvedImage> {
    const row = isUuid(sampleId)
      ? await this.prisma.sample.findUnique({ where: { id: sampleId }, include: { dataset: true } })
      : null;
    const sample = assertCanSee(viewer, row, `Sample ${sampleId}`, (s) => s.dataset);
    const bytes = await readBounded(
      await this.store.openRead(sample.sha256),
      this.limits.maxImageBytes,
      sample.originalPath,
    );
    return { bytes, sample: { id: sample.id, sha256: sample.sha256 } };
  }

  /** One image through a task RPC of the version's deployment. */
  private async imageTask<Response>(
    viewer: Viewer | null,
    versionId: string,
    image: ImageInput,
    task: InferenceTask,
    method: UnaryMethod<{ model_name: string; model_version: string; image: Buffer }, Response>,
    signal?: AbortSignal,
  ): Promise<Response> {
    const { bytes } = await this.resolveImage(viewer, image);
    const target = await this.target(viewer, versionId, task, signal);
    const request = {
      model_name: target.tierModelName,
      model_version: target.tierModelVersion,
      image: bytes,
    };
    return this.deployments.callTier(viewer, versionId, signal, method, request);
  }

  private async target(viewer: Viewer | null, versionId: string, task: InferenceTask, signal?: AbortSignal) {
    const target = await this.deployments.servingTarget(viewer, versionId, signal);
    if (target.config.task !== task) {
      throw badInput(
        `This model version is deployed for ${target.config.task}, not ${task}; redeploy it with config { task: ${task} }`,
        { field: "modelVersionId" },
      );
    }
    return target;
  }
}

export interface ArtifactLinks {
  artifactUrl(id: string): string;
}

/** The task service's generated method definitions (proto/tessera/tasks.proto). */
const tasks = () => loadTasks().TaskService.service;
