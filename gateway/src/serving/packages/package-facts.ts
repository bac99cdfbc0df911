import type { Prisma } from "../../generated/prisma/client";
import type { DeploymentLimits } from "../../config";
import { resolveDeploymentConfig } from "../../inference/deployment-config";
import type { TensorSpec } from "../../models/models.types";
import { canSee, type Viewer } from "../../users/access";
import { PACKAGE_VERSION, type PackageMetadata, type TestDataFile } from "./package-metadata";
import { testTolerance, type TensorShape } from "./test-pair";

/** The version row an export reads, with what metadata.json describes. */
export type ExportedVersionRow = Prisma.ModelVersionGetPayload<{
  include: {
    model: { include: { owner: { select: { handle: true } } } };
    files: true;
    deployment: { select: { config: true } };
    trainedFrom: { include: { model: true } };
    trainedOn: { include: { dataset: true } };
  };
}>;

/** Everything metadata.json says that does not depend on the test run. */
export interface ExportedVersion {
  row: ExportedVersionRow;
  inputs: TensorShape[];
  outputs: TensorShape[];
  preprocessing: Record<string, unknown> | null;
  lineage: Record<string, unknown>;
}

const shapes = (specs: unknown): TensorShape[] =>
  ((specs as TensorSpec[] | null) ?? []).map((t) => ({
    name: t.name,
    dataType: t.dataType.toLowerCase(),
    shape: t.shape,
  }));

export function packageFacts(
  row: ExportedVersionRow,
  viewer: Viewer,
  limits: DeploymentLimits,
): ExportedVersion {
  const inputs = shapes(row.inputs);
  return {
    row,
    inputs,
    outputs: shapes(row.outputs),
    preprocessing: preprocessingOf(row, inputs, limits),
    lineage: {
      source: { id: row.id, owner: row.model.owner.handle, slug: row.model.slug, version: row.version },
      // Only what the exporting viewer may see: a public version's private base stays unnamed.
      trained_from:
        row.trainedFrom && canSee(viewer, row.trainedFrom.model)
          ? { id: row.trainedFrom.id, slug: row.trainedFrom.model.slug, version: row.trainedFrom.version }
          : null,
      trained_on:
        row.trainedOn && canSee(viewer, row.trainedOn.dataset)
          ? { id: row.trainedOn.id, dataset: row.trainedOn.dataset.name, number: row.trainedOn.number }
          : null,
      imported_from: row.importedPackage ?? null,
    },
  };
}

/** The deployment's preprocessing, else what a deployment with defaults would use. */
function preprocessingOf(
  row: ExportedVersionRow,
  inputs: TensorShape[],
  limits: DeploymentLimits,
): Record<string, unknown> | null {
  const deployed = (row.deployment?.config as { preprocessing?: Record<string, unknown> } | undefined)
    ?.preprocessing;
  if (deployed) return deployed;
  try {
    const specs = inputs.map((t) => ({ ...t, dimensions: t.shape.map(String) }));
    return {
      ...resolveDeploymentConfig(null, { modelType: row.model.modelType, inputs: specs }, limits)
        .preprocessing,
    };
  } catch {
    return null;
  }
}

const customLicense = (custom: unknown): string | null => {
  const license = (custom as { license?: unknown } | null)?.license;
  return typeof license === "string" ? license : null;
};

export function packageMetadata(
  facts: ExportedVersion,
  created: Date,
  primaryFile: string,
  testData: { inputs: TestDataFile[]; outputs: TestDataFile[] },
): PackageMetadata {
  const { row } = facts;
  const primary = row.files.find((file) => file.isPrimary)!;
  return {
    package_version: PACKAGE_VERSION,
    name: row.model.name,
    version: row.version,
    author: row.model.owner.handle,
    description: row.model.description,
    license: customLicense(row.customMetadata),
    created: created.toISOString(),
    format: "onnx",
    num_categories: row.labels.length,
    tags: row.model.tags,
    model_hash: primary.sha256,
    model_size: Number(primary.sizeBytes),
    framework: "ONNX",
    compatibility: {
      package_version: PACKAGE_VERSION,
      onnx_opset: row.opset,
      onnxruntime: ">=1.16",
      tessera: ">=0.1",
    },
    slug: row.model.slug,
    model_type: row.model.modelType,
    primary_file: primaryFile,
    inputs: facts.inputs,
    outputs: facts.outputs,
    preprocessing: facts.preprocessing,
    metrics: {
      training_accuracy: row.trainingAccuracy,
      validation_accuracy: row.validationAccuracy,
      test_accuracy: row.testAccuracy,
      training_loss: row.trainingLoss,
      extra: row.metricsExtra,
    },
    lineage: facts.lineage,
    test_data: { ...testData, tolerance: { ...testTolerance } },
  };
}
