import type { ECElementEvent } from "echarts/core";
import { useCallback, useId, useMemo, useState } from "react";
import type { EvaluationReportFieldsFragment } from "../gql/graphql";
import { Chart } from "../ui/chart";
import { formatFraction, formatNumber } from "../ui/format";
import { formatLoss } from "./format-loss";
import { MisclassifiedSamples, type MatrixCell } from "./misclassified-samples";
import { confusionMatrixOption } from "./training-chart-options";

const splitNames: Record<string, string> = { validation: "Validation split", test: "Test split" };

/** The matrix's non-empty off-diagonal cells, commonest first: the mistakes worth opening. */
export function mistakeCells(report: EvaluationReportFieldsFragment): Array<MatrixCell & { count: number }> {
  return report.confusionMatrix
    .flatMap((row, truth) =>
      row.map((count, predicted) => ({
        actual: report.labels[truth]!,
        predicted: report.labels[predicted]!,
        count: truth === predicted ? 0 : count,
      })),
    )
    .filter((cell) => cell.count > 0)
    .sort((a, b) => b.count - a.count);
}

/**
 * How the trained model did on one split: headline figures, the confusion matrix, per-class
 * scores. With `jobId`, a cell of the matrix (clicked, or picked from the list of mistakes under
 * it) opens its samples.
 */
export function EvaluationReport({
  report,
  jobId,
}: {
  report: EvaluationReportFieldsFragment;
  jobId?: string;
}) {
  const id = useId();
  const [cell, setCell] = useState<MatrixCell | null>(null);
  const openCell = useCallback(
    (event: ECElementEvent) => {
      const [predicted, truth] = event.value as [number, number, number];
      const actual = report.labels[truth];
      const taken = report.labels[predicted];
      if (actual !== undefined && taken !== undefined) setCell({ actual, predicted: taken });
    },
    [report.labels],
  );
  const mistakes = useMemo(() => mistakeCells(report), [report]);
  const title = splitNames[report.split] ?? `Split ${report.split}`;
  const chartTitle = `Confusion matrix on the ${title.toLowerCase()}: true classes down, predicted classes across`;
  const option = useMemo(() => confusionMatrixOption(report, chartTitle), [report, chartTitle]);
  const height = Math.min(640, 160 + report.labels.length * 36);
  return (
    <section aria-labelledby={`${id}-title`} className="evaluation">
      <h2 id={`${id}-title`}>Evaluation: {title.toLowerCase()}</h2>
      <dl className="facts evaluation-figures">
        <div className="fact">
          <dt>Accuracy</dt>
          <dd>{formatFraction(report.accuracy)}</dd>
        </div>
        <div className="fact">
          <dt>Loss</dt>
          <dd>{formatLoss(report.loss)}</dd>
        </div>
        <div className="fact">
          <dt>Calibration error (ECE)</dt>
          <dd title="Expected calibration error over 10 equal-width confidence bins: 0 means confidence matches accuracy">
            {formatFraction(report.calibrationError)}
          </dd>
        </div>
        <div className="fact">
          <dt>Samples</dt>
          <dd>{formatNumber(report.count)}</dd>
        </div>
      </dl>
      <div className="two-columns">
        <div>
          <h3>Confusion matrix</h3>
          <Chart
            option={option}
            label={chartTitle}
            height={height}
            onPointClick={jobId ? openCell : undefined}
          />
          {jobId && mistakes.length > 0 && (
            <>
              <p className="muted">Click a cell, or open a mistake:</p>
              <ul className="matrix-cells" aria-label={`Mistakes on the ${title.toLowerCase()}`}>
                {mistakes.slice(0, 12).map((entry) => (
                  <li key={`${entry.actual}\u0000${entry.predicted}`}>
                    <button type="button" className="chip" onClick={() => setCell(entry)}>
                      {entry.actual} → {entry.predicted}: {entry.count}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        <div>
          <h3>Per class</h3>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">
                Precision, recall and F1 per class on the {title.toLowerCase()}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  <th scope="col">Precision</th>
                  <th scope="col">Recall</th>
                  <th scope="col">F1</th>
                  <th scope="col">Samples</th>
                </tr>
              </thead>
              <tbody>
                {report.perClass.map((entry) => (
                  <tr key={entry.label}>
                    <th scope="row">{entry.label}</th>
                    <td>{formatFraction(entry.precision)}</td>
                    <td>{formatFraction(entry.recall)}</td>
                    <td>{formatFraction(entry.f1)}</td>
                    <td>{formatNumber(entry.support)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
      {jobId && cell && (
        <MisclassifiedSamples
          key={`${cell.actual}\u0000${cell.predicted}`}
          jobId={jobId}
          split={report.split}
          cell={cell}
          onClose={() => setCell(null)}
        />
      )}
    </section>
  );
}
