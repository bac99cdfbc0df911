import { skipToken, useQuery } from "@apollo/client/react";
import { useId } from "react";
import { Link } from "react-router";
import { VersionDiffDocument, type VersionSummaryFragment } from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime, formatNumber } from "../ui/format";
import { versionPath } from "./dataset-paths";
import { formatDiff } from "./version-diff";

/** Every version, newest first, each with what changed since the one before it. */
export function VersionHistory({
  datasetId,
  versions,
}: {
  datasetId: string;
  versions: readonly VersionSummaryFragment[];
}) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Version history</h2>
      {versions.length === 0 ? (
        <EmptyState title="No versions">Upload images to create the first version.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Versions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col">Source</th>
                <th scope="col">Images</th>
                <th scope="col">Classes</th>
                <th scope="col">Changes since the version before</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((version, index) => (
                <tr key={version.id}>
                  <th scope="row">
                    <Link to={versionPath(datasetId, version.number)}>v{version.number}</Link>
                    {index === 0 && <span className="badge badge-good">latest</span>}
                    {version.message && <div className="muted">{version.message}</div>}
                  </th>
                  <td>{formatDateTime(version.createdAt)}</td>
                  <td>{version.source}</td>
                  <td>
                    {formatNumber(version.imageCount)}
                    {version.unlabeledCount > 0 && (
                      <span className="muted"> + {formatNumber(version.unlabeledCount)} unlabeled</span>
                    )}
                  </td>
                  <td>{formatNumber(version.classCount)}</td>
                  <td>
                    <ChangesSince version={version} previous={versions[index + 1]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ChangesSince({
  version,
  previous,
}: {
  version: VersionSummaryFragment;
  previous?: VersionSummaryFragment;
}) {
  const { data, loading, error } = useQuery(
    VersionDiffDocument,
    previous ? { variables: { id: version.id, against: previous.id } } : skipToken,
  );
  if (!previous)
    return <span className="muted">First version: {formatNumber(version.imageCount)} images</span>;
  if (error) return <ErrorMessage error={error} />;
  const diff = data?.datasetVersion?.diff;
  if (loading || !diff)
    return <span className="skeleton-line skeleton-inline" role="status" aria-label="Loading changes" />;
  return (
    <span>
      {formatDiff(diff)} <span className="muted">vs v{previous.number}</span>
    </span>
  );
}
