import { useId, useMemo } from "react";
import type { EvaluationReportFieldsFragment } from "../gql/graphql";
import { Chart } from "../ui/chart";
import { formatFraction, formatNumber } from "../ui/format";
import { formatLoss } from "./format-loss";
import { confusionMatrixOption } from "./training-chart-options";

const splitNames: Record<string, string> = { validation: "Validation split", test: "Test split" };

/** How the trained model did on one split: headline figures, the confusion matrix, per-class scores. */
export function EvaluationReport({ report }: { report: EvaluationReportFieldsFragment }) {
  const id = useId();
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
          <Chart option={option} label={chartTitle} height={height} />
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
    </section>
  );
}
