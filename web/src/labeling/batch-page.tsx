import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { versionPath } from "../datasets/dataset-paths";
import { LabelingBatchDocument, LabelingDiversity } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatEnum, formatFraction } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { modelName, poolName } from "./batch-names";
import { summarise, type LabelingItem } from "./labeling-items";
import { labelingRoot } from "./labeling-paths";
import { LabelingQueue, type SubmittedVersion } from "./labeling-queue";

interface Submitted {
  version: SubmittedVersion;
  given: ReadonlyMap<string, string>;
}

/** A batch: its queue until the labels are submitted, then what they came to. */
export default function BatchPage() {
  const { batchId = "" } = useParams();
  const { data, loading, error } = useQuery(LabelingBatchDocument, { variables: { id: batchId } });
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const batch = data?.labelingBatch;
  useDocumentTitle("Labelling batch");

  const crumbs = [{ label: "Labelling", to: labelingRoot }];
  if (loading && !data) return <Skeleton lines={8} label="Loading the batch" />;
  if (!batch) {
    return (
      <>
        <PageHeader title="Labelling batch" crumbs={crumbs} />
        <ErrorMessage error={error} />
        {!error && (
          <EmptyState title="No such batch">It was deleted, or it is someone else&apos;s.</EmptyState>
        )}
      </>
    );
  }
  const labelOf = (item: LabelingItem) =>
    submitted ? submitted.given.get(item.id) : (item.label ?? undefined);
  const result = submitted?.version ?? batch.resultVersion;
  const done = submitted !== null || batch.submittedAt !== null;
  return (
    <>
      <PageHeader title={`Label ${batch.items.length} items`} crumbs={crumbs} />
      <p className="muted">
        {poolName(batch)}, picked by {formatEnum(batch.strategy).toLowerCase()}
        {batch.diversity !== LabelingDiversity.None &&
          ` with ${formatEnum(batch.diversity)} diversity`} for {modelName(batch.modelVersion)}
        {batch.randomShare > 0 && `; ${formatFraction(batch.randomShare)} at random`}.
      </p>
      {done ? (
        <BatchSummary items={batch.items} labelOf={labelOf} result={result} />
      ) : (
        <LabelingQueue
          batchId={batch.id}
          items={batch.items}
          labels={batch.labels}
          onSubmitted={(submittedVersion, given) => setSubmitted({ version: submittedVersion, given })}
        />
      )}
    </>
  );
}

interface BatchSummaryProps {
  items: readonly LabelingItem[];
  labelOf(item: LabelingItem): string | undefined;
  result: { number: number; dataset: { id: string } } | null | undefined;
}

function BatchSummary({ items, labelOf, result }: BatchSummaryProps) {
  const summary = summarise(items, labelOf);
  const agreement = (group: { agreed: number; labelled: number }) =>
    group.labelled === 0
      ? "none labelled"
      : `${group.agreed} of ${group.labelled} (${formatFraction(group.agreed / group.labelled)})`;
  return (
    <section className="panel labeling-summary" aria-label="Submitted labels" role="status">
      <h2>
        {summary.labelled} of {summary.total} labelled
        {result && (
          <>
            {" "}
            · <Link to={versionPath(result.dataset.id, result.number)}>version {result.number} created</Link>
          </>
        )}
      </h2>
      <ul className="chips" aria-label="Labels given">
        {summary.perLabel.map((entry) => (
          <li key={entry.label} className="chip">
            {entry.label} <span className="muted">{entry.count}</span>
          </li>
        ))}
      </ul>
      <dl className="facts">
        <dt>The model was already right on the uncertain picks</dt>
        <dd>{agreement(summary.byUncertainty)}</dd>
        {summary.random.labelled > 0 && (
          <>
            <dt>… and on the random picks</dt>
            <dd>{agreement(summary.random)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
