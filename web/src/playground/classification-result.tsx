import { useId, useMemo } from "react";
import type { PlaygroundClassifyMutation } from "../gql/graphql";
import { Chart } from "../ui/chart";
import { EmptyState } from "../ui/empty-state";
import {
  classificationChartDescription,
  classificationChartHeight,
  classificationChartOption,
  formatProbability,
} from "./classification-chart";

type Classification = PlaygroundClassifyMutation["classifyImage"];

/** The top labels as bars, and the same figures as a table for reading and for screen readers. */
export function ClassificationResult({ classification }: { classification: Classification }) {
  const id = useId();
  const { predictions } = classification;
  const option = useMemo(() => classificationChartOption(predictions), [predictions]);
  if (predictions.length === 0) {
    return <EmptyState title="No labels came back">The model answered without any class scores.</EmptyState>;
  }
  const best = predictions[0]!;
  return (
    <div className="classification-result">
      <p className="result-headline" aria-live="polite">
        Most likely <strong>{best.label}</strong> ({formatProbability(best.score)})
      </p>
      <Chart
        option={option}
        label={classificationChartDescription(predictions)}
        height={classificationChartHeight(predictions.length)}
      />
      <div className="table-scroll">
        <table className="data-table compact-table" aria-labelledby={`${id}-caption`}>
          <caption id={`${id}-caption`}>Top labels</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Label</th>
              <th scope="col">Probability</th>
              <th scope="col">Output index</th>
            </tr>
          </thead>
          <tbody>
            {predictions.map((prediction, rank) => (
              <tr key={prediction.index}>
                <td>{rank + 1}</td>
                <th scope="row">{prediction.label}</th>
                <td>{formatProbability(prediction.score)}</td>
                <td>{prediction.index}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
