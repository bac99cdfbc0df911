import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { UserResolver } from "../users/users.resolver";
import {
  DeploymentResolver,
  InferenceResolver,
  ModelVersionDeploymentResolver,
} from "../inference/inference.resolver";
import {
  ModelAliasResolver,
  ModelFileResolver,
  ModelResolver,
  ModelVersionResolver,
} from "../models/models.resolver";
import { DatasetResolver, DatasetVersionResolver, SampleResolver } from "../datasets/datasets.resolver";
import { DatasetUploadsResolver } from "../datasets/uploads.resolver";

/** Every resolver of the API, in one explicit list. */
export const resolvers = [
  UserResolver,
  ModelResolver,
  ModelVersionResolver,
  ModelFileResolver,
  ModelAliasResolver,
  DeploymentResolver,
  ModelVersionDeploymentResolver,
  InferenceResolver,
  DatasetUploadsResolver,
  DatasetResolver,
  DatasetVersionResolver,
  SampleResolver,
] as const;

export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [...resolvers], validate: false });
}
