import { formatEnum } from "./format";

export type BadgeTone = "good" | "busy" | "bad" | "neutral";

/** A lifecycle state (READY, LOADING, FAILED, …) as a coloured word; the word carries the meaning. */
export function StateBadge({ state, tone }: { state: string; tone: BadgeTone }) {
  return <span className={`badge badge-${tone}`}>{formatEnum(state)}</span>;
}
