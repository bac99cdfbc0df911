import { useId } from "react";
import type { PlaygroundClassifyMutation } from "../gql/graphql";
import { formatPoints } from "../predictions/adjustment-words";
import { formatProbability } from "./classification-chart";

type Adjusted = NonNullable<PlaygroundClassifyMutation["classifyImage"]["adjustedPredictions"]>;

/**
 * The scores after the version's learned feedback adjustment, beside the raw ones (never instead of
 * them), with the method and what it gained on held-out feedback.
 */
export function AdjustedPredictions({ adjusted }: { adjusted: Adjusted }) {
  const id = useId();
  const best = adjusted.predictions[0];
  return (
    <div className="adjusted-predictions">
      <table className="data-table compact-table" aria-labelledby={`${id}-caption`}>
        <caption id={`${id}-caption`}>Adjusted by feedback</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Label</th>
            <th scope="col">Probability</th>
          </tr>
        </thead>
        <tbody>
          {adjusted.predictions.map((prediction, rank) => (
            <tr key={prediction.index}>
              <td>{rank + 1}</td>
              <th scope="row">{prediction.label}</th>
              <td>{formatProbability(prediction.score)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        {best && (
          <>
            After the adjustment: <strong>{best.label}</strong> ({formatProbability(best.score)}).{" "}
          </>
        )}
        Method: {adjusted.method}, learned from this version&apos;s feedback;{" "}
        {formatPoints(adjusted.improvement)} of accuracy on held-out feedback. The raw scores stay what the
        model answered.
      </p>
    </div>
  );
}
