import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useRef } from "react";
import { useSearchParams } from "react-router";
import { VersionQualityDocument, type QualityReportDetailFragment } from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime, formatEnum } from "../ui/format";
import { Skeleton } from "../ui/skeleton";
import { QualityBaseModel } from "./quality-base-model";
import { QualityFindingCard } from "./quality-finding";
import { useVersion } from "./version-context";

/**
 * How fit the version is for training: a score and what it lost points for, then each finding
 * with the samples it is about (dismissed ones last). The base model sizes are judged against
 * lives in the URL (`?base=`).
 */
export default function QualityTab() {
  const id = useId();
  const { version, readySpaces } = useVersion();
  const [params, setParams] = useSearchParams();
  const baseModelVersionId = params.get("base");
  const { data, previousData, loading, error, refetch } = useQuery(VersionQualityDocument, {
    variables: { id: version.id, baseModelVersionId },
    fetchPolicy: "cache-and-network",
  });
  // The gateway recomputes the report once embeddings arrive (they feed the label check).
  const spacesSeen = useRef(readySpaces.length);
  useEffect(() => {
    if (readySpaces.length > spacesSeen.current) void refetch().catch(() => null);
    spacesSeen.current = readySpaces.length;
  }, [readySpaces.length, refetch]);

  const chooseBase = (versionId: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (versionId) next.set("base", versionId);
      else next.delete("base");
      return next;
    });

  const report = (data ?? previousData)?.datasetVersion?.quality;
  if (!report) {
    return (
      <>
        <ErrorMessage error={error} />
        {loading && <Skeleton lines={6} label="Loading the quality report" />}
      </>
    );
  }
  const open = report.findings.filter((finding) => !finding.dismissed);
  const dismissed = report.findings.filter((finding) => finding.dismissed);
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
      {report.notes.length > 0 && (
        <ul className="quality-notes" aria-label="What the report did not judge">
          {report.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <QualityBaseModel
        value={baseModelVersionId}
        onChange={chooseBase}
        judgedAgainst={report.baseModelVersion}
      />
      <Deductions deductions={report.deductions} />
      {open.length === 0 ? (
        <EmptyState title="Nothing to fix">
          {dismissed.length > 0 ? "Every finding left was dismissed." : "Every check of the report passed."}
        </EmptyState>
      ) : (
        <ol className="findings" aria-label="Findings, most severe first">
          {open.map((finding) => (
            <li key={finding.kind}>
              <QualityFindingCard finding={finding} baseModelVersionId={baseModelVersionId} />
            </li>
          ))}
        </ol>
      )}
      {dismissed.length > 0 && (
        <>
          <h3 className="findings-dismissed-title">Dismissed ({dismissed.length})</h3>
          <ol className="findings" aria-label="Dismissed findings">
            {dismissed.map((finding) => (
              <li key={finding.kind}>
                <QualityFindingCard finding={finding} baseModelVersionId={baseModelVersionId} />
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** Why the score is not 100: the points each finding took, and why. */
function Deductions({ deductions }: { deductions: QualityReportDetailFragment["deductions"] }) {
  if (deductions.length === 0) return null;
  const total = deductions.reduce((sum, deduction) => sum + deduction.points, 0);
  return (
    <table className="data-table deductions">
      <caption>How the score was reached: 100 − {formatPoints(total)}</caption>
      <thead>
        <tr>
          <th scope="col">Finding</th>
          <th scope="col">Points</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {deductions.map((deduction) => (
          <tr key={deduction.kind}>
            <th scope="row">{formatEnum(deduction.kind)}</th>
            <td>−{formatPoints(deduction.points)}</td>
            <td>{deduction.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const formatPoints = (points: number) => (Math.round(points * 10) / 10).toLocaleString();
