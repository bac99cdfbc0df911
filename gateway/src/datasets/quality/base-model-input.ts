import type { PrismaClient } from "../../generated/prisma/client";
import { isUuid } from "../../graphql/ids";
import { builtinTierModel } from "../../inference/builtin-models";
import { toModelVersion } from "../../models/model-rows";
import type { ModelVersion, TensorSpec } from "../../models/models.types";
import { assertCanSee, type Viewer } from "../../users/access";
import type { BaseModelInput } from "./quality-input";

/**
 * The side the built-in feature embedder stretches every image to before describing it
 * (descriptorImageSize in inference/src/tasks/embedding/image-descriptor.ts).
 */
const builtinEmbedderSide = 128;

/** The base model a report judges sizes against; `input` is null when the model takes any size. */
export interface BaseModel {
  version: ModelVersion;
  input: BaseModelInput | null;
  name: string;
}

/**
 * Loads a model version the viewer may see (NOT_FOUND otherwise) and works out the size its
 * images are resized to: the deployment's preprocessing when it is deployed (what serving really
 * does), else the fixed height and width of its first input tensor, else the built-in embedder's
 * side. A model with a dynamic input size gives none.
 */
export async function loadBaseModel(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
): Promise<BaseModel> {
  const row = isUuid(id)
    ? await prisma.modelVersion.findUnique({ where: { id }, include: { model: true, deployment: true } })
    : null;
  const version = assertCanSee(viewer, row, `Model version ${id}`, (v) => v.model);
  const name = `${version.version} of "${version.model.slug}"`;
  const size = inputSize(
    version.deployment?.config,
    version.inputs as TensorSpec[] | null,
    version.customMetadata,
  );
  return { version: toModelVersion(version), name, input: size ? { name, ...size } : null };
}

function inputSize(
  deploymentConfig: unknown,
  inputs: TensorSpec[] | null,
  customMetadata: unknown,
): Omit<BaseModelInput, "name"> | null {
  const preprocessing = (
    deploymentConfig as { preprocessing?: { width?: unknown; height?: unknown } } | undefined
  )?.preprocessing;
  if (isSide(preprocessing?.width) && isSide(preprocessing?.height)) {
    return {
      width: preprocessing.width,
      height: preprocessing.height,
      source: "its deployment's preprocessing",
    };
  }
  const first = inputs?.[0];
  if (first?.shape.length === 4) {
    // [N, C, H, W] unless the last dimension looks like channels, as the deployment config reads it.
    const [, a, b, c] = first.shape as [number, number, number, number];
    const nhwc = c === 3 || c === 1;
    const [height, width] = nhwc ? [a, b] : [b, c];
    if (isSide(width) && isSide(height)) {
      return { width, height, source: `its input tensor "${first.name}"` };
    }
  }
  if (builtinTierModel(customMetadata)) {
    return {
      width: builtinEmbedderSide,
      height: builtinEmbedderSide,
      source: "the built-in embedder's fixed size",
    };
  }
  return null;
}

const isSide = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value > 0;
