import type { PrismaClient } from "../generated/prisma/client";
import type { GatewayConfig } from "../config";
import type { Viewer } from "../users/access";
import type { UsersService } from "../users/users.service";
import { createUserLoaders } from "../users/users.loader";
import { lazyLoaderSet } from "./lazy-loaders";
import type { ModelsService } from "../models/models.service";
import type { ModelImportsService } from "../models/model-imports.service";
import { createModelLoaders } from "../models/models.loader";
import { createDeploymentLoaders } from "../inference/deployments.loader";
import type { DeploymentsService } from "../inference/deployments.service";
import type { InferenceService } from "../inference/inference.service";
import type { DownloadLinks } from "../http/download-links";
import type { DatasetsService } from "../datasets/datasets.service";
import { createDatasetLoaders } from "../datasets/datasets.loader";
import type { DatasetUploadsService } from "../datasets/dataset-uploads.service";
import type { EmbeddingsService } from "../datasets/embeddings/embeddings.service";
import type { SimilarityService } from "../datasets/embeddings/similarity.service";
import type { EmbeddingMapsService } from "../datasets/embeddings/maps/embedding-maps.service";
import type { DatasetCsvUploadsService } from "../datasets/csv/dataset-csv-uploads.service";
import type { DatasetImportsService } from "../datasets/imports/dataset-imports.service";
import type { DatasetEditsService } from "../datasets/edits/dataset-edits.service";
import type { TrainingPairsService } from "../training-pairs/training-pairs.service";
import type { DatasetQualityService } from "../datasets/quality/quality.service";
import { createJobLoaders } from "../jobs/jobs.loader";
import type { JobsService } from "../jobs/jobs.service";
import type { TrainingService } from "../training/training.service";
import { createTrainingLoaders } from "../training/training.loader";
import type { ReconstructionsService } from "../reconstructions/reconstructions.service";
import type { ScenesService } from "../scenes/scenes.service";
import type { SceneUploadsService } from "../scenes/scene-uploads.service";
import { createSceneLoaders } from "../scenes/scenes.loader";
import type { TrainingReportsService } from "../training/report/report.service";
import { createReportLoaders } from "../training/report/report.loader";
import type { PredictionsService } from "../feedback/predictions/predictions.service";
import type { FeedbackService } from "../feedback/predictions/feedback.service";
import { createPredictionLoaders } from "../feedback/predictions/predictions.loader";
import type { LabelingService } from "../feedback/labeling/labeling.service";
import { createLabelingLoaders } from "../feedback/labeling/labeling.loader";
import type { RetrainingPoliciesService } from "../feedback/retraining/retraining-policies.service";
import { createRetrainingLoaders } from "../feedback/retraining/retraining.loader";
import type { RemoteModelsService } from "../serving/remote/remote-models.service";
import type { EnsemblesService } from "../serving/ensembles/ensembles.service";
import type { PredictionCache } from "../serving/cache/prediction-cache";

import type { ServingAnalyticsService } from "../serving/analytics/serving-analytics.service";
import type { ModelPackagesService } from "../serving/packages/packages.service";
import type { QuotasService } from "../quotas/quotas.service";
import type { TiersService } from "../tier/tiers.service";
import { createQuotaLoaders } from "../quotas/quotas.loader";

/** Long-lived parts, created once at start. */
export interface Services {
  users: UsersService;
  models: ModelsService;
  modelImports: ModelImportsService;
  deployments: DeploymentsService;
  inference: InferenceService;
  datasets: DatasetsService;
  datasetUploads: DatasetUploadsService;
  embeddings: EmbeddingsService;
  similarity: SimilarityService;
  embeddingMaps: EmbeddingMapsService;
  datasetCsvUploads: DatasetCsvUploadsService;
  datasetImports: DatasetImportsService;
  datasetEdits: DatasetEditsService;
  trainingPairs: TrainingPairsService;
  datasetQuality: DatasetQualityService;
  /** Also holds the training event log (`training.events`) the worker appends to. */
  training: TrainingService;
  jobs: JobsService;
  reconstructions: ReconstructionsService;
  scenes: ScenesService;
  sceneUploads: SceneUploadsService;
  trainingReports: TrainingReportsService;
  predictions: PredictionsService;
  feedback: FeedbackService;
  labeling: LabelingService;
  retraining: RetrainingPoliciesService;
  servingAnalytics: ServingAnalyticsService;
  remoteModels: RemoteModelsService;
  ensembles: EnsemblesService;
  predictionCache: PredictionCache;
  packages: ModelPackagesService;
  quotas: QuotasService;
  tiers: TiersService;
}

/** Built for every request: the signed-in user, fresh DataLoaders, links signed for this viewer. */
export interface RequestContext {
  viewer: Viewer | null;
  services: Services;
  prisma: PrismaClient;
  config: GatewayConfig;
  loaders: Loaders;
  downloads: DownloadLinks;
  /** Whom rate limits charge: the signed-in user, or the client's address when anonymous. */
  rateLimitKey: string;
  /** Aborted when the client goes away, so long uploads stop early. */
  signal?: AbortSignal;
}

/** Each request's DataLoaders; a group is built when the request first reads one of its loaders. */
export const createLoaders = lazyLoaderSet([
  createUserLoaders,
  createModelLoaders,
  createDeploymentLoaders,
  createDatasetLoaders,
  createTrainingLoaders,
  createJobLoaders,
  createSceneLoaders,
  createReportLoaders,
  createPredictionLoaders,
  createLabelingLoaders,
  createRetrainingLoaders,
  createQuotaLoaders,
]);

export type Loaders = ReturnType<typeof createLoaders>;
