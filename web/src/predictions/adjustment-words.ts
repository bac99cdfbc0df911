import type { FeedbackOverviewFragment } from "../gql/graphql";
import { formatProbability } from "../playground/classification-chart";

type Adjustment = Pick<
  NonNullable<FeedbackOverviewFragment["feedbackAdjustment"]>,
  "active" | "accuracyBefore" | "accuracyAfter"
>;

/** `+4.2 points` or `−0.8 points`: a change of accuracy in percentage points. */
export function formatPoints(change: number): string {
  const points = change * 100;
  return `${points >= 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} points`;
}

/** Whether the adjustment is applied, and why, in the numbers that decided it. */
export function adjustmentVerdict(adjustment: Adjustment): string {
  const { accuracyBefore: before, accuracyAfter: after } = adjustment;
  const change = `${formatProbability(before)} → ${formatProbability(after)}`;
  if (adjustment.active) {
    return (
      `Active: it raised accuracy on held-out feedback from ${change} (${formatPoints(after - before)}), ` +
      "so its scores are returned beside the raw ones."
    );
  }
  return (
    `Not active: on held-out feedback it did not beat the raw scores (${change}), ` +
    "so predictions carry the raw scores only."
  );
}
