import type { BaseModel__Output } from "@tessera/proto/generated/tessera/training/v1/BaseModel";
import { invalidArgument } from "../../runtime/errors";
import { requestedEmbedderVersion } from "../../tasks/embedding/requested-version";
import type { TaskContext } from "../../tasks/task-context";
import { embedderFeatureBase } from "./embedder-base";
import type { ResolvedFeatureBase } from "./feature-source";
import { modelFeatureBase } from "./model-base";

/**
 * The frozen base a training run reads features from: the built-in embedder when the request
 * names no model (version 1) or names "feature-embedder" (the version it names), else the named model, which must be READY in this tier's repository (NOT_FOUND
 * when it is not loaded). A model whose outputs cannot serve as features is FAILED_PRECONDITION,
 * the message naming every output and its shape.
 */
export async function resolveFeatureBase(
  context: TaskContext,
  base: BaseModel__Output,
  signal: AbortSignal,
): Promise<ResolvedFeatureBase> {
  if (!base.model_name) {
    if (base.model_version || base.feature_output) {
      throw invalidArgument(
        `the base names no model (the built-in feature embedder) but names version "${base.model_version}" and feature output "${base.feature_output}"; name the model too, or neither`,
      );
    }
    return embedderFeatureBase(context.embedder);
  }
  const builtin = requestedEmbedderVersion(base.model_name, base.model_version);
  if (builtin) {
    if (base.feature_output) {
      throw invalidArgument(
        `the built-in feature embedder has one output; the base names feature output "${base.feature_output}"`,
      );
    }
    return embedderFeatureBase(context.embedder, builtin);
  }
  const model = context.runner.describe(base.model_name, base.model_version || undefined);
  return modelFeatureBase(context, model, base.feature_output, signal);
}
