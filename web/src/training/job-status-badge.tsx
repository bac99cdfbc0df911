import { TrainingStatus, TrialStatus } from "../gql/graphql";
import { StateBadge, type BadgeTone } from "../ui/state-badge";

const jobTones: Record<TrainingStatus, BadgeTone> = {
  [TrainingStatus.Queued]: "neutral",
  [TrainingStatus.Running]: "busy",
  [TrainingStatus.Succeeded]: "good",
  [TrainingStatus.Failed]: "bad",
  [TrainingStatus.Cancelled]: "neutral",
};

const trialTones: Record<TrialStatus, BadgeTone> = {
  [TrialStatus.Pending]: "neutral",
  [TrialStatus.Running]: "busy",
  [TrialStatus.Succeeded]: "good",
  [TrialStatus.Pruned]: "neutral",
  [TrialStatus.Failed]: "bad",
  [TrialStatus.Cancelled]: "neutral",
};

export function JobStatusBadge({ status }: { status: TrainingStatus }) {
  return <StateBadge state={status} tone={jobTones[status]} />;
}

export function TrialStatusBadge({ status }: { status: TrialStatus }) {
  return <StateBadge state={status} tone={trialTones[status]} />;
}

/** Jobs that may still change: lists poll while any is shown, the job page listens live. */
export function isActive(status: TrainingStatus): boolean {
  return status === TrainingStatus.Queued || status === TrainingStatus.Running;
}
