import { useId, useMemo, useState } from "react";
import { Chart } from "../ui/chart";
import { EmptyState } from "../ui/empty-state";
import { formatFraction } from "../ui/format";
import { Skeleton } from "../ui/skeleton";
import { formatLoss } from "./format-loss";
import { epochRows, trialsWithPoints, type MetricPoint } from "./metric-series";
import { accuracyMetrics, curveChartOption, lossMetrics } from "./training-chart-options";

export interface TrainingCurvesProps {
  points: readonly MetricPoint[];
  /** Epochs each trial plans: the x axis spans them from the start. */
  plannedEpochs: number;
  historyLoaded: boolean;
  /** The trial shown until the person picks another: the running one, or the best once the job ended. */
  followedTrial: number | null;
  /** The trial running now, if any. */
  runningTrial: number | null;
}

/**
 * Loss and accuracy (training dashed, validation solid) per epoch of one trial, growing as
 * epochs end. The same figures are in a table below, for reading and for screen readers.
 */
export function TrainingCurves({
  points,
  plannedEpochs,
  historyLoaded,
  followedTrial,
  runningTrial,
}: TrainingCurvesProps) {
  const id = useId();
  const [picked, setPicked] = useState<number | null>(null);
  const { trials, trial, rows, lossOption, accuracyOption } = useMemo(() => {
    const withPoints = trialsWithPoints(points);
    const followed =
      followedTrial !== null && withPoints.includes(followedTrial) ? followedTrial : (withPoints.at(-1) ?? 0);
    const shown = picked !== null && withPoints.includes(picked) ? picked : followed;
    return {
      trials: withPoints,
      trial: shown,
      rows: epochRows(points, shown),
      lossOption: curveChartOption(points, shown, lossMetrics, plannedEpochs, "plain", lossTitle(shown)),
      accuracyOption: curveChartOption(
        points,
        shown,
        accuracyMetrics,
        plannedEpochs,
        "fraction",
        accuracyTitle(shown),
      ),
    };
  }, [points, picked, followedTrial, plannedEpochs]);

  return (
    <section aria-labelledby={`${id}-title`} className="training-curves">
      <div className="section-header">
        <h2 id={`${id}-title`}>Loss and accuracy</h2>
        {trials.length > 1 && (
          <div className="field field-inline">
            <label htmlFor={`${id}-trial`}>Trial</label>
            <select
              id={`${id}-trial`}
              value={trial}
              onChange={(event) => setPicked(Number(event.target.value))}
            >
              {trials.map((number) => (
                <option key={number} value={number}>
                  Trial {number + 1}
                  {number === runningTrial ? " (running)" : ""}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {!historyLoaded && points.length === 0 ? (
        <Skeleton lines={6} label="Loading the metrics history" />
      ) : points.length === 0 ? (
        <EmptyState title="No epochs yet">Curves appear here as each epoch ends, live.</EmptyState>
      ) : (
        <>
          <p className="muted" aria-live="polite" data-testid="epochs-recorded" data-epochs={rows.length}>
            {rows.length} of {plannedEpochs} epochs recorded
            {trials.length > 1 ? ` in trial ${trial + 1}` : ""}
          </p>
          <div className="two-columns">
            <Chart option={lossOption} label={lossTitle(trial)} height={280} />
            <Chart option={accuracyOption} label={accuracyTitle(trial)} height={280} />
          </div>
          <details className="epoch-table">
            <summary>Epochs as a table</summary>
            <EpochTable rows={rows} />
          </details>
        </>
      )}
    </section>
  );
}

const lossTitle = (trial: number) => `Training and validation loss per epoch, trial ${trial + 1}`;
const accuracyTitle = (trial: number) => `Training and validation accuracy per epoch, trial ${trial + 1}`;

function EpochTable({ rows }: { rows: ReturnType<typeof epochRows> }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Metrics per epoch</caption>
        <thead>
          <tr>
            <th scope="col">Epoch</th>
            <th scope="col">Loss</th>
            <th scope="col">Validation loss</th>
            <th scope="col">Accuracy</th>
            <th scope="col">Validation accuracy</th>
            <th scope="col">Learning rate</th>
            <th scope="col">Samples/s</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.epoch}>
              <th scope="row">{row.epoch}</th>
              <td>{formatLoss(row.values.loss)}</td>
              <td>{formatLoss(row.values.val_loss)}</td>
              <td>{formatFraction(row.values.accuracy)}</td>
              <td>{formatFraction(row.values.val_accuracy)}</td>
              <td>
                {row.values.learning_rate === undefined ? "—" : row.values.learning_rate.toExponential(2)}
              </td>
              <td>
                {row.values.samples_per_second === undefined
                  ? "—"
                  : Math.round(row.values.samples_per_second)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
