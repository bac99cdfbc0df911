import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ReconstructionListDocument, type ReconstructionRowFragment } from "../gql/graphql";
import { JobStatusBadge } from "../jobs/job-status";
import { useDocumentTitle } from "../layout/use-document-title";
import { scenePath, scenesPath } from "../scenes/scene-paths";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime, formatEnum } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Pager } from "../ui/pager";
import { TableSkeleton } from "../ui/skeleton";
import { newReconstructionPath, reconstructionPath } from "./reconstruction-paths";

const PAGE_SIZE = 25;

export default function ReconstructionListPage() {
  useDocumentTitle("Reconstructions");
  const [params, setParams] = useSearchParams();
  const after = params.get("after");
  const [previous, setPrevious] = useState<Array<string | null>>([]);
  const { data, loading, error } = useQuery(ReconstructionListDocument, {
    variables: { first: PAGE_SIZE, after },
    fetchPolicy: "cache-and-network",
  });
  const list = data?.reconstructions;
  const edges = list?.edges ?? [];

  return (
    <>
      <PageHeader
        title="Reconstructions"
        actions={
          <Link className="button primary" to={newReconstructionPath}>
            From an image or a prompt
          </Link>
        }
      />
      <p className="lead">
        Meshes and point clouds from a <Link to={scenesPath}>scene</Link>'s posed photos, from one image or
        from a prompt. A radiance field starts from a scene's page.
      </p>
      <ErrorMessage error={error} />
      {loading && !list ? (
        <TableSkeleton columns={5} label="Loading reconstructions" />
      ) : edges.length === 0 ? (
        <EmptyState title="No reconstructions yet">
          Open a scene and start one from its Reconstruct form.
        </EmptyState>
      ) : (
        <>
          <ReconstructionTable rows={edges.map((edge) => edge.node)} />
          <Pager
            label="Pages of reconstructions"
            pageSize={PAGE_SIZE}
            shown={edges.length}
            connection={list}
            after={after}
            previous={previous}
            onPreviousChange={setPrevious}
            goTo={(cursor) => setParams(cursor ? { after: cursor } : {})}
          />
        </>
      )}
    </>
  );
}

function ReconstructionTable({ rows }: { rows: ReconstructionRowFragment[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Reconstructions you can see</caption>
        <thead>
          <tr>
            <th scope="col">Reconstruction</th>
            <th scope="col">Scene</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                <Link to={reconstructionPath(row.id)}>{formatEnum(row.method)}</Link>
                <div className="muted">{row.owner.handle}</div>
              </th>
              <td>{row.scene ? <Link to={scenePath(row.scene.id)}>{row.scene.name}</Link> : "—"}</td>
              <td>
                <JobStatusBadge status={row.status} />
              </td>
              <td>{Math.round(row.progress * 100)}%</td>
              <td>{formatDateTime(row.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
