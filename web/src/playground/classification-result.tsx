import { useId, useMemo } from "react";
import { FeedbackSource, type PlaygroundClassifyMutation } from "../gql/graphql";
import { FeedbackControls } from "../predictions/feedback-controls";
import { Chart } from "../ui/chart";
import { EmptyState } from "../ui/empty-state";
import { AdjustedPredictions } from "./adjusted-predictions";
import { EnsembleMembers } from "./ensemble-members";
import { ServingBadges } from "./serving-badges";
import {
  classificationChartDescription,
  classificationChartHeight,
  classificationChartOption,
  formatProbability,
} from "./classification-chart";

type Classification = PlaygroundClassifyMutation["classifyImage"];

export interface ClassificationResultProps {
  classification: Classification;
  /** The version's labels, for "pick the right label". */
  labels: readonly string[];
}

/**
 * The top labels as bars, and the same figures as a table for reading and for screen readers; the
 * feedback-adjusted scores beside them when the version has an active adjustment; an ensemble's
 * members beside its blend; where the answer came from; and, when the deployment logs predictions,
 * one-click feedback.
 */
export function ClassificationResult({ classification, labels }: ClassificationResultProps) {
  const id = useId();
  const { predictions, adjustedPredictions, predictionId, members } = classification;
  const option = useMemo(() => classificationChartOption(predictions), [predictions]);
  const badges = (
    <ServingBadges
      servedBy={classification.servedBy}
      cached={classification.cached}
      degraded={classification.degraded}
    />
  );
  if (predictions.length === 0) {
    return (
      <>
        <EmptyState title="No labels came back">The model answered without any class scores.</EmptyState>
        {badges}
        {members && members.length > 0 && <EnsembleMembers members={members} />}
      </>
    );
  }
  const best = predictions[0]!;
  return (
    <div className="classification-result">
      <p className="result-headline" aria-live="polite">
        Most likely <strong>{best.label}</strong> ({formatProbability(best.score)})
        {members && " by the ensemble's blend"}
      </p>
      {badges}
      <Chart
        option={option}
        label={classificationChartDescription(predictions)}
        height={classificationChartHeight(predictions.length)}
      />
      <div className={adjustedPredictions ? "score-tables" : undefined}>
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
        {adjustedPredictions && <AdjustedPredictions adjusted={adjustedPredictions} />}
      </div>
      {members && members.length > 0 && <EnsembleMembers members={members} />}
      {predictionId ? (
        <FeedbackControls
          key={predictionId}
          predictionId={predictionId}
          labels={labels}
          predicted={predictions.map((prediction) => prediction.label)}
          source={FeedbackSource.Playground}
          feedback={null}
          subject="this prediction"
        />
      ) : (
        <p className="hint">
          This deployment keeps no prediction log, so feedback on its answers cannot be recorded.
        </p>
      )}
    </div>
  );
}
