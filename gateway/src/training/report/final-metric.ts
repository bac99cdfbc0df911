import { rankTrials } from "../search";
import type { Monitor } from "../training-contracts";

export interface FinalMetricValue {
  name: string;
  value: number;
}

/**
 * The monitored metric (options.monitor) at the best epoch of the best succeeded trial: what
 * picked the exported model. Null until a trial succeeded with a value.
 */
export function finalMetricOf(
  trials: ReadonlyArray<{ number: number; status: string; objective: number | null }>,
  monitor: Monitor,
): FinalMetricValue | null {
  const succeeded = trials.filter(
    (trial) => trial.status === "SUCCEEDED" && trial.objective !== null && Number.isFinite(trial.objective),
  );
  const [best] = rankTrials(succeeded, monitor);
  return best ? { name: monitor, value: best.objective! } : null;
}
