import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { ApiTokenResolver, UserResolver } from "../users/users.resolver";
import { UserQuotaResolver, UserUsageResolver } from "../quotas/quotas.resolver";
import { DeploymentPlacementResolver, TiersResolver } from "../tier/tiers.resolver";
import {
  DeploymentConfigResolver,
  DeploymentResolver,
  InferenceResolver,
  ModelVersionDeploymentResolver,
} from "../inference/inference.resolver";
import { PredictionResolver } from "../feedback/predictions/predictions.resolver";
import { FeedbackResolver, ModelVersionFeedbackResolver } from "../feedback/predictions/feedback.resolver";
import { LabelingBatchResolver, LabelingItemResolver } from "../feedback/labeling/labeling.resolver";
import {
  ModelAliasResolver,
  ModelConnectionResolver,
  ModelFileResolver,
  ModelResolver,
  ModelVersionResolver,
} from "../models/models.resolver";
import { DatasetResolver, DatasetVersionResolver, SampleResolver } from "../datasets/datasets.resolver";
import { DatasetUploadsResolver } from "../datasets/uploads.resolver";
import {
  EmbeddingStatusResolver,
  EmbeddingsResolver,
  SampleEmbeddingResolver,
  UploadEmbeddingsResolver,
  VersionEmbeddingsResolver,
} from "../datasets/embeddings/embeddings.resolver";
import { embeddingMapResolvers } from "../datasets/embeddings/maps/embedding-maps.resolver";
import { DatasetCsvUploadsResolver } from "../datasets/csv/csv-uploads.resolver";
import { DatasetImportsResolver } from "../datasets/imports/import-dataset.resolver";
import { DatasetEditsResolver } from "../datasets/edits/dataset-edits.resolver";
import { DatasetExportResolver } from "../datasets/export/dataset-export.resolver";
import {
  PolicyEvaluationResolver,
  RetrainingPolicyResolver,
  RetrainingRunResolver,
} from "../feedback/retraining/retraining.resolver";
import { TrainingPairResolver } from "../training-pairs/training-pairs.resolver";
import {
  DatasetVersionQualityResolver,
  QualityDismissalResolver,
  QualityDismissalsResolver,
} from "../datasets/quality/quality.resolver";
import { TrainingCompletedEventResolver, TrainingResolver } from "../training/training.resolver";
import { ModelVersionLineageResolver } from "../training/training-lineage";
import { TrainingReportResolver } from "../training/report/report.resolver";
import {
  ModelServingResolver,
  ModelVersionServingResolver,
} from "../training/report/serving-version.resolver";
import { JobResolver } from "../jobs/jobs.resolver";
import { reconstructionResolvers } from "../reconstructions/reconstructions.resolver";
import { SceneFrameResolver, SceneResolver } from "../scenes/scenes.resolver";
import { ModelVersionRemoteResolver, RemoteModelsResolver } from "../serving/remote/remote-models.resolver";
import {
  EnsemblesResolver,
  MemberClassificationResolver,
  ModelVersionEnsembleResolver,
} from "../serving/ensembles/ensembles.resolver";
import { PredictionCacheResolver } from "../serving/cache/prediction-cache.resolver";
import { DeploymentAnalyticsResolver } from "../serving/analytics/analytics.resolver";
import { ModelPackageResolver, ModelVersionPackageResolver } from "../serving/packages/packages.resolver";

/** Every resolver of the API, in one explicit list. */
export const resolvers = [
  UserResolver,
  ApiTokenResolver,
  UserUsageResolver,
  UserQuotaResolver,
  ModelResolver,
  ModelConnectionResolver,
  ModelVersionResolver,
  ModelFileResolver,
  ModelAliasResolver,
  DeploymentResolver,
  ModelVersionDeploymentResolver,
  DeploymentConfigResolver,
  InferenceResolver,
  PredictionResolver,
  FeedbackResolver,
  ModelVersionFeedbackResolver,
  LabelingBatchResolver,
  LabelingItemResolver,
  RetrainingPolicyResolver,
  PolicyEvaluationResolver,
  RetrainingRunResolver,
  DatasetUploadsResolver,
  DatasetCsvUploadsResolver,
  DatasetImportsResolver,
  DatasetEditsResolver,
  DatasetExportResolver,
  DatasetResolver,
  DatasetVersionResolver,
  SampleResolver,
  EmbeddingsResolver,
  VersionEmbeddingsResolver,
  EmbeddingStatusResolver,
  SampleEmbeddingResolver,
  UploadEmbeddingsResolver,
  ...embeddingMapResolvers,
  TrainingPairResolver,
  DatasetVersionQualityResolver,
  QualityDismissalsResolver,
  QualityDismissalResolver,
  TrainingResolver,
  TrainingCompletedEventResolver,
  ModelVersionLineageResolver,
  TrainingReportResolver,
  ModelVersionServingResolver,
  ModelServingResolver,
  JobResolver,
  ...reconstructionResolvers,
  SceneResolver,
  SceneFrameResolver,
  DeploymentAnalyticsResolver,
  RemoteModelsResolver,
  ModelVersionRemoteResolver,
  EnsemblesResolver,
  ModelVersionEnsembleResolver,
  MemberClassificationResolver,
  PredictionCacheResolver,
  ModelPackageResolver,
  ModelVersionPackageResolver,
  TiersResolver,
  DeploymentPlacementResolver,
] as const;

export function buildGatewaySchema(): Promise<GraphQLSchema> {
  // Subscriptions here bring their own `subscribe` (see embeddingProgress); type-graphql still
  // insists on a pubSub for topic-based ones, which this in-process one serves.
  return buildSchema({ resolvers: [...resolvers], validate: false, pubSub: createPubSub() });
}
