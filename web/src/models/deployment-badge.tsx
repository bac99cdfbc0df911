import { DeploymentState } from "../gql/graphql";
import { StateBadge, type BadgeTone } from "../ui/state-badge";

const tones: Record<DeploymentState, BadgeTone> = {
  [DeploymentState.Ready]: "good",
  [DeploymentState.Loading]: "busy",
  [DeploymentState.Unloading]: "busy",
  [DeploymentState.Failed]: "bad",
};

/** Where a version stands on the inference tiers; nothing when it is not deployed. */
export function DeploymentBadge({
  deployment,
}: {
  deployment: { state: DeploymentState } | null | undefined;
}) {
  if (!deployment) return null;
  return <StateBadge state={deployment.state} tone={tones[deployment.state]} />;
}
