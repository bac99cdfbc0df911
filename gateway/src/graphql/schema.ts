import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { ApiTokenResolver, UserResolver } from "../users/users.resolver";
import {
  DeploymentResolver,
  InferenceResolver,
  ModelVersionDeploymentResolver,
} from "../inference/inference.resolver";
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
import { DatasetCsvUploadsResolver } from "../datasets/csv/csv-uploads.resolver";
import { DatasetImportsResolver } from "../datasets/imports/import-dataset.resolver";
import { DatasetEditsResolver } from "../datasets/edits/dataset-edits.resolver";
import { TrainingPairResolver } from "../training-pairs/training-pairs.resolver";
import { DatasetVersionQualityResolver } from "../datasets/quality/quality.resolver";
import { TrainingCompletedEventResolver, TrainingResolver } from "../training/training.resolver";
import { ModelVersionLineageResolver } from "../training/training-lineage";
import { JobResolver } from "../jobs/jobs.resolver";
import { reconstructionResolvers } from "../reconstructions/reconstructions.resolver";
import { SceneFrameResolver, SceneResolver } from "../scenes/scenes.resolver";

/** Every resolver of the API, in one explicit list. */
export const resolvers = [
  UserResolver,
  ApiTokenResolver,
  ModelResolver,
  ModelConnectionResolver,
  ModelVersionResolver,
  ModelFileResolver,
  ModelAliasResolver,
  DeploymentResolver,
  ModelVersionDeploymentResolver,
  InferenceResolver,
  DatasetUploadsResolver,
  DatasetCsvUploadsResolver,
  DatasetImportsResolver,
  DatasetEditsResolver,
  DatasetResolver,
  DatasetVersionResolver,
  SampleResolver,
  EmbeddingsResolver,
  VersionEmbeddingsResolver,
  EmbeddingStatusResolver,
  SampleEmbeddingResolver,
  UploadEmbeddingsResolver,
  TrainingPairResolver,
  DatasetVersionQualityResolver,
  TrainingResolver,
  TrainingCompletedEventResolver,
  ModelVersionLineageResolver,
  JobResolver,
  ...reconstructionResolvers,
  SceneResolver,
  SceneFrameResolver,
] as const;

export function buildGatewaySchema(): Promise<GraphQLSchema> {
  // Subscriptions here bring their own `subscribe` (see embeddingProgress); type-graphql still
  // insists on a pubSub for topic-based ones, which this in-process one serves.
  return buildSchema({ resolvers: [...resolvers], validate: false, pubSub: createPubSub() });
}
