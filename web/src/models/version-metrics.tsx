import { useId } from "react";
import type { ModelVersionDetailQuery } from "../gql/graphql";
import { Chart, type ChartOption } from "../ui/chart";
import { EmptyState } from "../ui/empty-state";
import { formatFraction } from "../ui/format";

type Metrics = NonNullable<NonNullable<ModelVersionDetailQuery["model"]>["version"]>["metrics"];

/** Accuracies as bars (all on the 0–1 scale), loss and any extra metrics as figures. */
export function VersionMetrics({ metrics }: { metrics: Metrics }) {
  const id = useId();
  const recorded: Array<[string, number | null]> = [
    ["Training", metrics.trainingAccuracy],
    ["Validation", metrics.validationAccuracy],
    ["Test", metrics.testAccuracy],
  ];
  const accuracies = recorded.filter((entry): entry is [string, number] => typeof entry[1] === "number");
  const extra =
    metrics.extra === null || metrics.extra === undefined ? null : JSON.stringify(metrics.extra, null, 2);
  const nothing = accuracies.length === 0 && metrics.trainingLoss === null && !extra;

  const option: ChartOption = {
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: "axis", valueFormatter: (value) => formatFraction(Number(value)) },
    xAxis: { type: "category", data: accuracies.map(([name]) => name) },
    yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: (value: number) => `${value * 100}%` } },
    series: [{ type: "bar", data: accuracies.map(([, value]) => value), barMaxWidth: 48 }],
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Metrics</h2>
      {nothing ? (
        <EmptyState title="No metrics recorded">
          Metrics come from training or from the upload&apos;s input.
        </EmptyState>
      ) : (
        <div className="two-columns">
          <dl className="facts">
            {accuracies.map(([name, value]) => (
              <div key={name} className="fact">
                <dt>{name} accuracy</dt>
                <dd>{formatFraction(value)}</dd>
              </div>
            ))}
            {metrics.trainingLoss !== null && (
              <div className="fact">
                <dt>Training loss</dt>
                <dd>{metrics.trainingLoss.toFixed(4)}</dd>
              </div>
            )}
            {extra && (
              <div className="fact">
                <dt>Other metrics</dt>
                <dd>
                  <pre>{extra}</pre>
                </dd>
              </div>
            )}
          </dl>
          {accuracies.length > 0 && <Chart option={option} label="Accuracy by split" height={220} />}
        </div>
      )}
    </section>
  );
}
