import { AnalyticsWindow, EnsembleBlend, type ServingDeploymentsQuery } from "../gql/graphql";
import { formatEnum } from "../ui/format";

export type ServingDeployment = ServingDeploymentsQuery["deployments"][number];

export const windowLabels: Record<AnalyticsWindow, string> = {
  [AnalyticsWindow.Last_15Minutes]: "Last 15 minutes",
  [AnalyticsWindow.LastHour]: "Last hour",
  [AnalyticsWindow.LastDay]: "Last day",
  [AnalyticsWindow.LastWeek]: "Last week",
};

export const blendLabels: Record<EnsembleBlend, string> = {
  [EnsembleBlend.Average]: "Average (weighted mean of probabilities)",
  [EnsembleBlend.ConfidenceWeighted]: "Confidence-weighted (weights scaled by each member's top score)",
  [EnsembleBlend.Max]: "Max (highest probability per label; weights unused)",
  [EnsembleBlend.Vote]: "Vote (each member's weight to its top label)",
};

/** `ada/colours v3 · Ready`: the registry's name of the version and the deployment's state. */
export function deploymentLabel(deployment: ServingDeployment): string {
  const { model, version } = deployment.modelVersion;
  return `${model.owner.handle}/${model.slug} ${version} · ${formatEnum(deployment.state)}`;
}

/** How a circuit breaker's state reads: whether calls go through. */
export const circuitLabels: Record<string, string> = {
  CLOSED: "Closed: calls go through",
  OPEN: "Open: calls are refused while the endpoint fails",
  HALF_OPEN: "Half-open: one trial call decides",
};
