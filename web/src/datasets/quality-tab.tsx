import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useRef } from "react";
import { VersionQualityDocument } from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { Skeleton } from "../ui/skeleton";
import { QualityFindingCard } from "./quality-finding";
import { useVersion } from "./version-context";

/** How fit the version is for training: a score, then each finding with the samples it is about. */
export default function QualityTab() {
  const id = useId();
  const { version, readySpaces } = useVersion();
  const { data, loading, error, refetch } = useQuery(VersionQualityDocument, {
    variables: { id: version.id },
    fetchPolicy: "cache-and-network",
  });
  // The gateway recomputes the report once embeddings arrive (they feed the label check).
  const spacesSeen = useRef(readySpaces.length);
  useEffect(() => {
    if (readySpaces.length > spacesSeen.current) void refetch().catch(() => null);
    spacesSeen.current = readySpaces.length;
  }, [readySpaces.length, refetch]);

  const report = data?.datasetVersion?.quality;
  if (!report) {
    return (
      <>
        <ErrorMessage error={error} />
        {loading && <Skeleton lines={6} label="Loading the quality report" />}
      </>
    );
  }
  return (
    <section aria-labelledby={`${id}-title`} className="quality-report">
      <h2 id={`${id}-title`} className="visually-hidden">
        Quality report
      </h2>
      <ErrorMessage error={error} />
      <div className="quality-score">
        <span className="quality-score-figure">
          {Math.round(report.score)}
          <span className="muted"> / 100</span>
        </span>
        <meter
          min={0}
          max={100}
          low={50}
          high={80}
          optimum={100}
          value={report.score}
          aria-label="Quality score"
        />
        <p className="muted">
          Computed {formatDateTime(report.computedAt)}
          {report.usedEmbeddings && report.embeddingSpace
            ? `; the label check used the embeddings in ${report.embeddingSpace}`
            : "; without embeddings, so labels were not checked"}
          .
        </p>
      </div>
      {report.findings.length === 0 ? (
        <EmptyState title="Nothing to fix">Every check of the report passed.</EmptyState>
      ) : (
        <ol className="findings" aria-label="Findings, most severe first">
          {report.findings.map((finding, index) => (
            <li key={`${finding.kind}-${index}`}>
              <QualityFindingCard finding={finding} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
