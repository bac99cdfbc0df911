import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { SceneListDocument, type SceneSummaryFragment } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatBytes, formatDateTime, formatEnum, formatNumber } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Pager } from "../ui/pager";
import { TableSkeleton } from "../ui/skeleton";
import { scenePath, uploadScenePath } from "./scene-paths";

const PAGE_SIZE = 25;

export default function SceneListPage() {
  useDocumentTitle("Scenes");
  const [params, setParams] = useSearchParams();
  const after = params.get("after");
  const [previous, setPrevious] = useState<Array<string | null>>([]);
  const { data, loading, error } = useQuery(SceneListDocument, {
    variables: { first: PAGE_SIZE, after },
    fetchPolicy: "cache-and-network",
  });
  const scenes = data?.scenes;
  const edges = scenes?.edges ?? [];
  const upload = (
    <Link className="button primary" to={uploadScenePath}>
      Upload a scene
    </Link>
  );

  return (
    <>
      <PageHeader title="Scenes" actions={upload} />
      <p className="lead">
        Posed captures: photos with their cameras, from which reconstructions build meshes and point clouds.
      </p>
      <ErrorMessage error={error} />
      {loading && !scenes ? (
        <TableSkeleton columns={5} label="Loading scenes" />
      ) : edges.length === 0 ? (
        <EmptyState title="No scenes yet" action={upload}>
          Upload a ZIP of photos with a transforms.json (NeRF-synthetic, instant-ngp or nerfstudio).
        </EmptyState>
      ) : (
        <>
          <SceneTable scenes={edges.map((edge) => edge.node)} />
          <Pager
            label="Pages of scenes"
            pageSize={PAGE_SIZE}
            shown={edges.length}
            connection={scenes}
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

function SceneTable({ scenes }: { scenes: SceneSummaryFragment[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Scenes you can see</caption>
        <thead>
          <tr>
            <th scope="col">Scene</th>
            <th scope="col">Format</th>
            <th scope="col">Frames</th>
            <th scope="col">Size</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {scenes.map((scene) => (
            <tr key={scene.id}>
              <th scope="row">
                <Link to={scenePath(scene.id)}>{scene.name}</Link>
                <div className="muted">
                  {scene.owner.handle}
                  {scene.public && <span className="badge badge-neutral">public</span>}
                </div>
              </th>
              <td>{formatEnum(scene.format)}</td>
              <td>
                {formatNumber(scene.frameCount)} of {scene.width}×{scene.height}
              </td>
              <td>{formatBytes(scene.sizeBytes)}</td>
              <td>{formatDateTime(scene.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
