import { JobStatus } from "../gql/graphql";
import { StateBadge, type BadgeTone } from "../ui/state-badge";

const tones: Record<JobStatus, BadgeTone> = {
  [JobStatus.Queued]: "neutral",
  [JobStatus.Running]: "busy",
  [JobStatus.Succeeded]: "good",
  [JobStatus.Failed]: "bad",
  [JobStatus.Cancelled]: "neutral",
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return <StateBadge state={status} tone={tones[status] ?? "neutral"} />;
}

/** Jobs that may still change: the list keeps them fresh and they can be cancelled. */
export function isActiveJob(status: JobStatus): boolean {
  return status === JobStatus.Queued || status === JobStatus.Running;
}
