import { forbidden } from "../errors";
import type { DeploymentsService } from "../inference/deployments.service";
import { isAdmin, requireViewer, type Viewer } from "../users/access";
import type { TierClient, TierStatus } from "./tier-client";
import type { DeploymentPlacement, Tier } from "./tiers.types";

/** The tiers as this gateway sees them, for admins; and where a deployment is placed. */
export class TiersService {
  constructor(
    private readonly client: TierClient,
    private readonly deployments: DeploymentsService,
  ) {}

  /** Every configured tier in configuration order; admins only (addresses and load are operators' business). */
  list(viewer: Viewer | null): Tier[] {
    if (!isAdmin(requireViewer(viewer))) throw forbidden("Only an admin can list the inference tiers");
    return this.client.status().map(toTier);
  }

  placement(
    viewer: Viewer | null,
    deployment: { tierModelName: string; config: { replicas?: number | null } },
  ): DeploymentPlacement {
    const placement = this.deployments.placement(deployment.tierModelName, deployment.config.replicas);
    return {
      replicas: placement.replicas,
      tierCount: placement.tiers.length,
      tiers: isAdmin(viewer) ? placement.tiers : null,
      note: placement.note,
    };
  }
}

export function toTier(status: TierStatus): Tier {
  const report = status.report;
  return {
    address: status.address,
    ready: status.up,
    lastError: status.lastError,
    answered: status.answered,
    load: {
      inFlight: report?.inFlight ?? 0,
      queued: report?.queued ?? 0,
      sentSinceReport: status.sentSinceReport,
      estimate: status.load,
    },
    models: report?.models ?? [],
    device: report?.device ?? null,
    executionProviders: report?.executionProviders ?? [],
    providerFallbacks: report?.providerFallbacks ?? [],
    serverVersion: report?.serverVersion ?? null,
    reportedAt: report?.receivedAt ?? null,
  };
}
