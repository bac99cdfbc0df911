import type { PrismaClient } from "../generated/prisma/client";
import { badInput } from "../errors";
import { isUuid } from "../graphql/ids";
import { builtinTierModel } from "../inference/builtin-models";
import type { TensorSpec } from "../models/models.types";
import { assertCanSee, type Viewer } from "../users/access";

/** Element types the tier reads as features. */
const FLOAT_TYPES = new Set(["FLOAT32", "FLOAT16", "FLOAT64"]);

/** [N, D] features, or [N, C, H, W] / [N, H, W, C] maps the tier averages over space. */
const servesAsFeatures = (output: TensorSpec) =>
  FLOAT_TYPES.has(output.dataType) && (output.shape.length === 2 || output.shape.length === 4);

/**
 * The base model version a job may train on: visible to the viewer, and either the built-in
 * embedder or a valid ONNX version with an output that can serve as features (`featureOutput`
 * when named). Throws NOT_FOUND or BAD_USER_INPUT saying what is wrong with it.
 */
export async function checkBaseModel(
  prisma: PrismaClient,
  viewer: Viewer,
  id: string,
  featureOutput: string | null,
): Promise<void> {
  const row = isUuid(id)
    ? await prisma.modelVersion.findUnique({ where: { id }, include: { model: true } })
    : null;
  const version = assertCanSee(viewer, row, `Model version ${id}`, (v) => v.model);
  const name = `base model version ${version.version} of "${version.model.slug}"`;
  const subject = `B${name.slice(1)}`;
  const field = "baseModelVersionId";
  if (builtinTierModel(version.customMetadata)) {
    if (featureOutput) {
      throw badInput(
        `featureOutput "${featureOutput}" applies only to ONNX base models; the built-in feature embedder has a single output`,
        { field: "featureOutput" },
      );
    }
    return;
  }
  if (version.model.framework !== "ONNX") {
    throw badInput(
      `${subject} is a ${version.model.framework} model; training needs an ONNX base model or the built-in embedder (system/feature-embedder)`,
      { field },
    );
  }
  if (version.validation === "INVALID") {
    throw badInput(
      `${subject} cannot be used: its ONNX file is invalid (${version.invalidReason ?? "unreadable"})`,
      {
        field,
      },
    );
  }
  const outputs = (version.outputs as TensorSpec[] | null) ?? [];
  if (outputs.length === 0) {
    throw badInput(
      `${subject} cannot be used: the registry knows none of its outputs (its file was not read as ONNX)`,
      {
        field,
      },
    );
  }
  const described = outputs.map(describeOutput).join(", ");
  if (featureOutput) {
    const named = outputs.find((o) => o.name === featureOutput);
    if (!named) {
      throw badInput(
        `featureOutput "${featureOutput}" is not an output of ${name}; its outputs are ${described}`,
        {
          field: "featureOutput",
        },
      );
    }
    if (!servesAsFeatures(named)) {
      throw badInput(
        `featureOutput ${describeOutput(named)} of ${name} cannot serve as features: expected a float output of rank 2 [batch, features] or rank 4 [batch, channels, height, width]`,
        { field: "featureOutput" },
      );
    }
    return;
  }
  if (!outputs.some(servesAsFeatures)) {
    throw badInput(
      `${subject} has no output that can serve as features (a float output of rank 2 [batch, features] or rank 4 [batch, channels, height, width]); its outputs are ${described}`,
      { field },
    );
  }
}

/** `"logits" FLOAT32 [batch, 1000]`: the dimensions as the model names them. */
function describeOutput(output: TensorSpec): string {
  const dimensions =
    output.dimensions?.length === output.shape.length ? output.dimensions : output.shape.map(String);
  return `"${output.name}" ${output.dataType} [${dimensions.join(", ")}]`;
}
