import { FeedbackSource, type PredictionRowFragment } from "../gql/graphql";
import { formatProbability } from "../playground/classification-chart";
import { formatDateTime } from "../ui/format";
import { FeedbackControls } from "./feedback-controls";

/** Normalised entropy as people can compare it: two decimals, 0 certain to 1 evenly unsure. */
export function formatUncertainty(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : "—";
}

/** One row per logged prediction, newest first, with its feedback editable in place. */
export function PredictionsTable({
  predictions,
  labels,
}: {
  predictions: readonly PredictionRowFragment[];
  labels: readonly string[];
}) {
  return (
    <div className="table-scroll">
      <table className="data-table predictions-table">
        <caption className="visually-hidden">Logged predictions</caption>
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col">Prediction</th>
            <th scope="col">Uncertainty</th>
            <th scope="col">When</th>
            <th scope="col">Feedback</th>
          </tr>
        </thead>
        <tbody>
          {predictions.map((prediction) => (
            <PredictionRow key={prediction.id} prediction={prediction} labels={labels} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PredictionRow({
  prediction,
  labels,
}: {
  prediction: PredictionRowFragment;
  labels: readonly string[];
}) {
  const top = prediction.predictions[0];
  const adjustedTop = prediction.adjustedPredictions?.predictions[0];
  const name = top
    ? `the prediction ${top.label} of ${formatDateTime(prediction.createdAt)}`
    : "this prediction";
  return (
    <tr>
      <td>
        {prediction.imageUrl ? (
          <a className="prediction-thumb" href={prediction.imageUrl} target="_blank" rel="noreferrer">
            <img
              src={prediction.imageUrl}
              alt={`Image sent ${formatDateTime(prediction.createdAt)}`}
              loading="lazy"
            />
          </a>
        ) : (
          <span className="muted">not kept</span>
        )}
      </td>
      <th scope="row">
        {top ? (
          <>
            {top.label} <span className="muted">{formatProbability(top.score)}</span>
          </>
        ) : (
          <span className="muted">no labels</span>
        )}
        {adjustedTop && (
          <div className="muted">
            adjusted ({prediction.adjustedPredictions?.method}): {adjustedTop.label}{" "}
            {formatProbability(adjustedTop.score)}
          </div>
        )}
      </th>
      <td>
        <meter
          min={0}
          max={1}
          low={0.33}
          high={0.66}
          optimum={0}
          value={prediction.uncertainty}
          aria-hidden="true"
        />{" "}
        {formatUncertainty(prediction.uncertainty)}
      </td>
      <td>
        {formatDateTime(prediction.createdAt)}
        {prediction.requestedBy && <div className="muted">by {prediction.requestedBy.handle}</div>}
      </td>
      <td className="feedback-cell">
        <FeedbackControls
          predictionId={prediction.id}
          labels={labels}
          predicted={prediction.predictions.map((entry) => entry.label)}
          source={FeedbackSource.Api}
          feedback={prediction.feedback ?? null}
          subject={name}
          // The page's summary counts this feedback.
          refetchQueries={["PredictionLogVersion"]}
        />
      </td>
    </tr>
  );
}
