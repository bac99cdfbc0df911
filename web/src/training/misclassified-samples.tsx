import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { EvaluationSplit, MisclassifiedSamplesDocument } from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatFraction } from "../ui/format";
import { Skeleton } from "../ui/skeleton";

/** How many samples of a cell are shown (the API's default page). */
export const cellPage = 50;

/** EvaluationReport.split names the split in lower case; the cell's query takes the enum. */
const evaluationSplits: Record<string, EvaluationSplit> = {
  validation: EvaluationSplit.Validation,
  test: EvaluationSplit.Test,
};

export interface MatrixCell {
  actual: string;
  predicted: string;
}

/**
 * The samples of one confusion-matrix cell, worst first: the most confident mistakes, or on the
 * diagonal the least confident right answers. Thumbnails link to the full image.
 */
export function MisclassifiedSamples({
  jobId,
  split,
  cell,
  onClose,
}: {
  jobId: string;
  split: string;
  cell: MatrixCell;
  onClose(): void;
}) {
  const id = useId();
  const { data, loading, error } = useQuery(MisclassifiedSamplesDocument, {
    variables: {
      id: jobId,
      actual: cell.actual,
      predicted: cell.predicted,
      split: evaluationSplits[split],
      first: cellPage,
    },
  });
  const samples = data?.trainingJob?.misclassified ?? [];
  const right = cell.actual === cell.predicted;
  const title = right
    ? `${cell.actual} classified right, least confident first`
    : `${cell.actual} taken for ${cell.predicted}, most confident first`;
  return (
    <section className="panel misclassified" aria-labelledby={`${id}-title`}>
      <div className="panel-heading">
        <h3 id={`${id}-title`}>{title}</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorMessage error={error} />
      {loading && !data ? (
        <Skeleton lines={3} label="Loading the samples of this cell" />
      ) : samples.length === 0 ? (
        <EmptyState title="No samples to show">
          None of this cell&apos;s samples were kept, or you cannot see the dataset they belong to.
        </EmptyState>
      ) : (
        <ul className="misclassified-grid" aria-label={title}>
          {samples.map((entry) => (
            <li key={entry.sample.id}>
              <a href={entry.sample.imageUrl} target="_blank" rel="noreferrer">
                <img
                  src={entry.sample.thumbnailUrl}
                  alt={`${entry.sample.originalPath}: ${entry.actual}, predicted ${entry.predicted}`}
                  loading="lazy"
                  width={96}
                  height={96}
                />
              </a>
              <span className="misclassified-confidence">{formatFraction(entry.confidence)}</span>
              <span className="muted misclassified-path" title={entry.sample.originalPath}>
                {entry.sample.originalPath}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
