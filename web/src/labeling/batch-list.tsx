import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { Link } from "react-router";
import { versionPath } from "../datasets/dataset-paths";
import {
  LabelingBatchesDocument,
  LabelingDiversity,
  type LabelingBatchSummaryFragment,
} from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime, formatEnum, formatFraction } from "../ui/format";
import { Skeleton } from "../ui/skeleton";
import { modelName, poolName } from "./batch-names";
import { batchPath, newBatchPath } from "./labeling-paths";

/** The list's first page: what a submit fetches again. */
export const firstBatchesPage = { first: 20, after: null };

/** The person's batches, newest first: what each was picked from, how, and what it became. */
export function BatchList() {
  const id = useId();
  const { data, loading, error, fetchMore } = useQuery(LabelingBatchesDocument, {
    variables: firstBatchesPage,
    fetchPolicy: "cache-and-network",
  });
  const connection = data?.labelingBatches;
  const batches = connection?.edges.map((edge) => edge.node) ?? [];

  const more = () =>
    fetchMore({
      variables: { after: connection?.pageInfo.endCursor ?? null },
      updateQuery: (previous, { fetchMoreResult }) => ({
        labelingBatches: {
          ...fetchMoreResult.labelingBatches,
          edges: [...previous.labelingBatches.edges, ...fetchMoreResult.labelingBatches.edges],
        },
      }),
    });

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Your batches</h2>
      <ErrorMessage error={error} />
      {loading && !data ? (
        <Skeleton lines={4} label="Loading your batches" />
      ) : batches.length === 0 ? (
        <EmptyState
          title="No batch yet"
          action={
            <Link className="button primary" to={newBatchPath()}>
              Pick a batch to label
            </Link>
          }
        >
          A batch is the few items of a pool that the model is least sure about.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Labelling batches, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Model</th>
                <th scope="col">Pool</th>
                <th scope="col">Picked by</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <BatchRow key={batch.id} batch={batch} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {connection?.pageInfo.hasNextPage && (
        <button type="button" className="show-more" onClick={() => void more().catch(() => null)}>
          Show more
        </button>
      )}
    </section>
  );
}

function BatchRow({ batch }: { batch: LabelingBatchSummaryFragment }) {
  const result = batch.resultVersion;
  return (
    <tr>
      <th scope="row">
        <Link to={batchPath(batch.id)}>
          {batch.size} items · {formatDateTime(batch.createdAt)}
        </Link>
      </th>
      <td>{modelName(batch.modelVersion)}</td>
      <td>{poolName(batch)}</td>
      <td>
        {formatEnum(batch.strategy)}
        {batch.diversity !== LabelingDiversity.None && ` + ${formatEnum(batch.diversity)}`}
        {batch.randomShare > 0 && `, ${formatFraction(batch.randomShare)} random`}
      </td>
      <td>
        {batch.submittedAt ? (
          result ? (
            <Link to={versionPath(result.dataset.id, result.number)}>Submitted: v{result.number}</Link>
          ) : (
            "Submitted"
          )
        ) : (
          <span className="badge badge-busy">To label</span>
        )}
      </td>
    </tr>
  );
}
