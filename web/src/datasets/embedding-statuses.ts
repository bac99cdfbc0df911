import { EmbeddingRunState, type EmbeddingStatusInfoFragment } from "../gql/graphql";

export type EmbeddingStatus = EmbeddingStatusInfoFragment;

/** The statuses with `incoming` in place of the one for its space (a new space goes last). */
export function withStatus(
  statuses: readonly EmbeddingStatus[],
  incoming: EmbeddingStatus,
): EmbeddingStatus[] {
  const at = statuses.findIndex((status) => status.space === incoming.space);
  if (at < 0) return [...statuses, incoming];
  return statuses.map((status, index) => (index === at ? incoming : status));
}

/** Spaces whose vectors are all in: similarity search and the map can use them. */
export function readySpaces(statuses: readonly EmbeddingStatus[]): string[] {
  return statuses
    .filter((status) => status.state === EmbeddingRunState.Succeeded)
    .map((status) => status.space);
}

export function isUnderway(status: EmbeddingStatus): boolean {
  return status.state === EmbeddingRunState.Queued || status.state === EmbeddingRunState.Running;
}

/** "120 of 400 images embedded · 3 could not be read" */
export function describeProgress(status: EmbeddingStatus): string {
  const parts = [`${status.done.toLocaleString()} of ${status.total.toLocaleString()} images embedded`];
  if (status.failed > 0) parts.push(`${status.failed.toLocaleString()} could not be embedded`);
  return parts.join(" · ");
}
