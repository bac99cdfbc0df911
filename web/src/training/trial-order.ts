import { MonitoredMetric } from "../gql/graphql";

/** Losses are minimised, accuracies maximised (as the server picks the best epoch and trial). */
export function lowerIsBetter(monitor: MonitoredMetric): boolean {
  return monitor === MonitoredMetric.Loss || monitor === MonitoredMetric.ValLoss;
}

/**
 * Best first by the monitored metric; trials without an objective yet (running, failed) after
 * them, in the order they ran.
 */
export function sortTrialsByObjective<T extends { number: number; objective?: number | null }>(
  trials: readonly T[],
  monitor: MonitoredMetric,
): T[] {
  const sign = lowerIsBetter(monitor) ? 1 : -1;
  return [...trials].sort((a, b) => {
    const hasA = typeof a.objective === "number";
    const hasB = typeof b.objective === "number";
    if (hasA && hasB)
      return sign * ((a.objective as number) - (b.objective as number)) || a.number - b.number;
    if (hasA !== hasB) return hasA ? -1 : 1;
    return a.number - b.number;
  });
}
