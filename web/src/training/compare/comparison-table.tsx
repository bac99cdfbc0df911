import { formatMetric } from "../final-metric";
import { TrialStatusBadge } from "../job-status-badge";
import { comparedMetrics, metricAtBest, type ComparedTrial } from "./compared-trials";
import type { TrialStatus } from "../../gql/graphql";

/** Small rates as 1.2e-4, the rest with up to four significant digits; names as they are. */
function formatParameter(value: number | string | undefined): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  if (value !== 0 && Math.abs(value) < 0.01) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/**
 * The selected trials side by side: the options that differ among them, then each metric at the
 * trial's best epoch (the weights a registered model keeps).
 */
export function ComparisonTable({
  trials,
  options,
}: {
  trials: readonly ComparedTrial[];
  options: readonly string[];
}) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>
          Parameters and metrics of the selected trials{options.length === 0 && " (same options)"}
        </caption>
        <thead>
          <tr>
            <th scope="col">Trial</th>
            <th scope="col">Status</th>
            {options.map((name) => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
            <th scope="col">Best epoch</th>
            {comparedMetrics.map((name) => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {trials.map((trial) => (
            <tr key={trial.key}>
              <th scope="row">{trial.label}</th>
              <td>
                <TrialStatusBadge status={trial.status as TrialStatus} />
              </td>
              {options.map((name) => (
                <td key={name}>{formatParameter(trial.parameters[name])}</td>
              ))}
              <td>{trial.bestEpoch ?? "—"}</td>
              {comparedMetrics.map((name) => (
                <td key={name}>{formatMetric(name, metricAtBest(trial, name))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
