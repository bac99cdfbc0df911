import type { PrismaClient } from "../../generated/prisma/client";
import { builtinTierName, builtinTierVersion } from "../../inference/builtin-models";
import type { DeploymentsService } from "../../inference/deployments.service";
import type { Viewer } from "../../users/access";
import type { BaseModel } from "./training-tier";

/**
 * The frozen base as the tier's Train names it: the built-in feature embedder (an empty model
 * name for version 1, "feature-embedder" and its version after), or an ONNX model version loaded on the tiers the way deployments and embeddings load
 * backbones (deployed with defaults on first use, on behalf of the job's owner). Null when the
 * version is gone.
 */
export async function resolveBase(
  prisma: PrismaClient,
  deployments: DeploymentsService,
  owner: Viewer,
  versionId: string,
  featureOutput: string | null,
  signal: AbortSignal,
): Promise<BaseModel | null> {
  const version = await prisma.modelVersion.findUnique({
    where: { id: versionId },
    select: { customMetadata: true },
  });
  if (!version) return null;
  const builtin = builtinTierVersion(version.customMetadata);
  if (builtin) {
    const tier = builtinTierName(builtin);
    return { model_name: tier.name, model_version: tier.version, feature_output: "" };
  }
  const target = await deployments.servingTarget(owner, versionId, signal);
  return {
    model_name: target.tierModelName,
    model_version: target.tierModelVersion,
    feature_output: featureOutput ?? "",
  };
}
