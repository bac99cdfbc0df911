import type {
  Model as ModelRow,
  ModelFile as ModelFileRow,
  ModelVersion as ModelVersionRow,
} from "../generated/prisma/client";
import type {
  Framework,
  Model,
  ModelFile,
  ModelType,
  ModelVersion,
  TensorSpec,
  ValidationState,
} from "./models.types";

/** Database rows → the GraphQL objects; BigInt sizes become numbers (exact below 2^53 bytes). */
export function toModel(row: ModelRow): Model {
  return {
    id: row.id,
    ownerId: row.ownerId,
    slug: row.slug,
    name: row.name,
    description: row.description,
    framework: row.framework as Framework,
    modelType: row.modelType as ModelType,
    algorithm: row.algorithm,
    tags: row.tags,
    isPublic: row.isPublic,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toModelVersion(row: ModelVersionRow): ModelVersion {
  return {
    id: row.id,
    modelId: row.modelId,
    version: row.version,
    number: row.ordinal,
    inputs: (row.inputs as TensorSpec[] | null) ?? null,
    outputs: (row.outputs as TensorSpec[] | null) ?? null,
    inputShape: row.inputShape,
    outputShape: row.outputShape,
    opset: row.opset,
    numParameters: row.numParameters === null ? null : Number(row.numParameters),
    sizeBytes: Number(row.sizeBytes),
    labels: row.labels,
    metrics: {
      trainingAccuracy: row.trainingAccuracy,
      validationAccuracy: row.validationAccuracy,
      testAccuracy: row.testAccuracy,
      trainingLoss: row.trainingLoss,
      extra: row.metricsExtra,
    },
    pythonVersion: row.pythonVersion,
    dependencies: row.dependencies,
    hardwareRequirements: row.hardwareRequirements,
    customMetadata: row.customMetadata,
    isActive: row.isActive,
    isProductionReady: row.isProductionReady,
    validation: row.validation as ValidationState,
    invalidReason: row.invalidReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toModelFile(row: ModelFileRow): ModelFile {
  return {
    id: row.id,
    versionId: row.versionId,
    path: row.path,
    sizeBytes: Number(row.sizeBytes),
    sha256: row.sha256,
    contentType: row.contentType,
    fileType: row.fileType,
    isPrimary: row.isPrimary,
  };
}
