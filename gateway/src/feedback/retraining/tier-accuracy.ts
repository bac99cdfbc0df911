import { buffer } from "node:stream/consumers";
import { loadTasks } from "@tessera/proto/tasks";
import type { DeploymentLimits } from "../../config";
import type { PrismaClient } from "../../generated/prisma/client";
import { resolveDeploymentConfig, tritonModelConfig } from "../../inference/deployment-config";
import { InferenceTask, type Preprocessing } from "../../inference/deployments.types";
import type { TensorSpec } from "../../models/models.types";
import type { BlobStore } from "../../storage/blob-store";
import type { TierClient } from "../../tier/tier-client";
import type { HeldOutSet } from "./held-out-set";
import type { ScoredVersion } from "./promotion-decision";

/** Held-out images in flight at once: the tier batches concurrent requests of one model. */
const CONCURRENCY = 8;

export interface TierAccuracyDeps {
  prisma: PrismaClient;
  store: BlobStore;
  tier: TierClient;
  deploymentLimits: DeploymentLimits;
}

/** A version the tier cannot classify with (not ONNX, no primary file). */
export class UnscorableVersion extends Error {}

/**
 * Top-1 accuracy of a model version on the held-out set, through the tier's Classify like any
 * request. The version is loaded under a name of its own (`tierName`) on one tier and unloaded
 * after, so champion and challenger (two versions of one model) are scored side by side without
 * touching what the model's deployment serves. `preprocessing` is how the version is (or would
 * be) served, from a deployment's stored config; the version's defaults without one.
 */
export async function accuracyOnTier(
  deps: TierAccuracyDeps,
  versionId: string,
  heldOut: HeldOutSet,
  tierName: string,
  preprocessing: Preprocessing | null,
  signal?: AbortSignal,
): Promise<ScoredVersion> {
  const version = await deps.prisma.modelVersion.findUniqueOrThrow({
    where: { id: versionId },
    include: { model: true, files: true },
  });
  const primary = version.files.find((file) => file.isPrimary);
  if (version.model.framework !== "ONNX" || !primary) {
    throw new UnscorableVersion(
      `version ${version.version} is ${version.model.framework}${primary ? "" : " without a primary file"}; the tier classifies with ONNX models`,
    );
  }
  const defaults = resolveDeploymentConfig(
    { task: InferenceTask.CLASSIFICATION },
    { modelType: version.model.modelType, inputs: version.inputs as TensorSpec[] | null },
    deps.deploymentLimits,
  );
  const config = preprocessing ? { ...defaults, preprocessing } : defaults;
  const tier = deps.tier.pickTier();
  await deps.tier.kserve(
    "RepositoryModelLoad",
    {
      model_name: tierName,
      parameters: {
        config: { string_param: JSON.stringify(tritonModelConfig(tierName, [1], config, version.labels)) },
        "file:1/model.onnx": { bytes_param: await buffer(await deps.store.openRead(primary.sha256)) },
      },
    },
    { tier },
  );
  try {
    let correct = 0;
    let next = 0;
    const classify = loadTasks().TaskService.service.Classify;
    const worker = async () => {
      while (next < heldOut.samples.length) {
        const sample = heldOut.samples[next++]!;
        const image = await buffer(await deps.store.openRead(sample.sha256));
        const response = await deps.tier.unary(
          classify,
          { model_name: tierName, model_version: "1", image, top_k: 1 },
          { tier, signal },
        );
        if (response.predictions[0]?.label === sample.label) correct += 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const count = heldOut.samples.length;
    return { versionId, version: version.version, accuracy: count > 0 ? correct / count : 0, correct };
  } finally {
    await deps.tier.kserve("RepositoryModelUnload", { model_name: tierName }, { tier }).catch(() => {});
  }
}
