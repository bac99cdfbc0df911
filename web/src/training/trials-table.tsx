import { useId } from "react";
import { TrialStatus, type MonitoredMetric, type TrainingTrialRowFragment } from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { formatFraction } from "../ui/format";
import { formatLoss } from "./format-loss";
import { TrialStatusBadge } from "./job-status-badge";
import { monitorLabels } from "./monitor-labels";
import { lowerIsBetter, sortTrialsByObjective } from "./trial-order";

export interface TrialsTableProps {
  trials: readonly TrainingTrialRowFragment[];
  monitor: MonitoredMetric;
}

/** The search's trials, best first by the monitored metric; the best finished one is the model. */
export function TrialsTable({ trials, monitor }: TrialsTableProps) {
  const id = useId();
  const sorted = sortTrialsByObjective(trials, monitor);
  const best = sorted.find((trial) => trial.status === TrialStatus.Succeeded);
  const objective = (value: number | null) =>
    value === null ? "—" : lowerIsBetter(monitor) ? formatLoss(value) : formatFraction(value);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Trials ({trials.length})</h2>
      {trials.length === 0 ? (
        <EmptyState title="No trials yet">Trials appear as the search suggests them.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">
              Trials sorted by {monitorLabels[monitor].toLowerCase()}, best first
            </caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Trial</th>
                <th scope="col">Status</th>
                <th scope="col">Parameters</th>
                <th scope="col" aria-sort={lowerIsBetter(monitor) ? "ascending" : "descending"}>
                  {monitorLabels[monitor]}
                </th>
                <th scope="col">Best epoch</th>
                <th scope="col">Epochs run</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((trial, index) => (
                <tr key={trial.number} className={trial === best ? "best-row" : undefined}>
                  <td>{index + 1}</td>
                  <th scope="row">
                    Trial {trial.number + 1}
                    {trial === best && <span className="badge badge-good">best</span>}
                  </th>
                  <td>
                    <TrialStatusBadge status={trial.status} />
                    {trial.error && <div className="muted">{trial.error}</div>}
                  </td>
                  <td>
                    {trial.params.length === 0 ? (
                      <span className="muted">the job&apos;s options</span>
                    ) : (
                      <ul className="chips">
                        {trial.params.map((param) => (
                          <li key={param.name} className="chip">
                            {param.name} = {param.choice ?? formatParam(param.value)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{objective(trial.objective)}</td>
                  <td>{trial.bestEpoch ?? "—"}</td>
                  <td>{trial.epochsRun}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Small rates as 1.2e-4, the rest with up to four significant digits. */
function formatParam(value: number | null): string {
  if (value === null) return "—";
  if (value !== 0 && Math.abs(value) < 0.01) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
