import { skipToken, useQuery, useSubscription } from "@apollo/client/react";
import { Suspense, useCallback, useMemo, useState } from "react";
import { NavLink, Outlet, useLocation, useNavigate, useParams } from "react-router";
import {
  DatasetDetailDocument,
  EmbeddingProgressDocument,
  Role,
  VersionDetailDocument,
  ViewerDocument,
} from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { datasetPath, versionPath } from "./dataset-paths";
import { EmbeddingProgress } from "./embedding-progress";
import { readySpaces, withStatus, type EmbeddingStatus } from "./embedding-statuses";
import { ExportVersion } from "./export-version";
import type { SampleTile } from "./sample-catalog";
import { SampleViewer } from "./sample-viewer";
import { UnlabeledPool } from "./unlabeled-pool";
import { UNLABELED_POOL } from "./class-filter";
import { useSampleCatalog } from "./use-sample-catalog";
import type { EditNoticeState } from "./use-version-edit";
import { VersionContext, type VersionContextValue, type VersionDetail } from "./version-context";

const tabs = [
  { to: "", label: "Samples" },
  { to: "quality", label: "Quality" },
  { to: "map", label: "Embedding map" },
  { to: "search", label: "Search by image" },
  { to: "about", label: "About this version" },
];

/** A version's page: which version, its embeddings' progress, the tabs, and the sample viewer over them. */
export default function VersionLayout() {
  const { datasetId = "", number = "" } = useParams();
  // From the network too: a version uploaded since the dataset was last seen is not in the cache.
  const dataset = useQuery(DatasetDetailDocument, {
    variables: { id: datasetId },
    fetchPolicy: "cache-and-network",
  });
  const versions = dataset.data?.dataset?.versions;
  const versionId = versions?.find((version) => String(version.number) === number)?.id;
  const detail = useQuery(VersionDetailDocument, versionId ? { variables: { id: versionId } } : skipToken);
  const version = detail.data?.datasetVersion;
  const name = dataset.data?.dataset?.name;
  useDocumentTitle(name ? `${name} v${number}` : "Dataset version");

  const crumbs = [
    { label: "Datasets", to: "/datasets" },
    ...(name ? [{ label: name, to: datasetPath(datasetId) }] : []),
  ];
  if ((dataset.loading && !versionId) || (versionId && detail.loading && !version)) {
    return <Skeleton lines={10} label="Loading dataset version" />;
  }
  if (!version) {
    return (
      <>
        <PageHeader title={name ? `${name} v${number}` : "Dataset version"} crumbs={crumbs} />
        <ErrorMessage error={dataset.error ?? detail.error} />
        {!dataset.error && !detail.error && (
          <EmptyState title="No such version">It was deleted, or you cannot see it.</EmptyState>
        )}
      </>
    );
  }
  return (
    <LoadedVersion
      key={version.id}
      datasetId={datasetId}
      version={version}
      versions={versions ?? []}
      crumbs={crumbs}
    />
  );
}

interface LoadedVersionProps {
  datasetId: string;
  version: VersionDetail;
  versions: ReadonlyArray<{ id: string; number: number }>;
  crumbs: Array<{ label: string; to: string }>;
}

function LoadedVersion({ datasetId, version, versions, crumbs }: LoadedVersionProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const editNotice = (location.state as Partial<EditNoticeState> | null)?.editNotice;
  const me = useQuery(ViewerDocument).data?.me;
  const canEdit = me ? me.id === version.dataset.owner.id || me.role === Role.Admin : false;
  const [statuses, setStatuses] = useState<EmbeddingStatus[]>(version.embeddingStatus);
  const subscription = useSubscription(EmbeddingProgressDocument, {
    variables: { datasetVersionId: version.id },
    onData: ({ data }) => {
      const status = data.data?.embeddingProgress;
      if (status) setStatuses((current) => withStatus(current, status));
    },
  });
  const catalog = useSampleCatalog(version.id, null);
  const [remembered, setRemembered] = useState<ReadonlyMap<string, SampleTile>>(new Map());
  const remember = useCallback((samples: readonly SampleTile[]) => {
    setRemembered((current) => {
      const next = new Map(current);
      for (const sample of samples) next.set(sample.sampleId, sample);
      return next;
    });
  }, []);
  const context = useMemo<VersionContextValue>(
    () => ({
      datasetId,
      version,
      statuses,
      readySpaces: readySpaces(statuses),
      catalog,
      remembered,
      remember,
      canEdit,
    }),
    [datasetId, version, statuses, catalog, remembered, remember, canEdit],
  );

  return (
    <VersionContext value={context}>
      <PageHeader
        title={`${version.dataset.name} v${version.number}`}
        crumbs={crumbs}
        actions={
          <>
            <ExportVersion versionId={version.id} />
            {versions.length > 1 && (
              <div className="field version-switch">
                <label htmlFor="version-switch">Version</label>
                <select
                  id="version-switch"
                  value={version.number}
                  onChange={(event) => navigate(versionPath(datasetId, Number(event.target.value)))}
                >
                  {versions.map((entry) => (
                    <option key={entry.id} value={entry.number}>
                      v{entry.number}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </>
        }
      />
      {editNotice && (
        <p className="notice edit-notice" role="status">
          {editNotice}
        </p>
      )}
      <p className="version-summary">
        {version.imageCount.toLocaleString()} images · {version.classCount.toLocaleString()} classes
        {version.unlabeledCount > 0 && ` · ${version.unlabeledCount.toLocaleString()} unlabeled`} · from{" "}
        {version.source} · {formatDateTime(version.createdAt)} · owned by {version.dataset.owner.handle}
        {version.message && <span className="muted"> · {version.message}</span>}
      </p>
      <UnlabeledPool
        versionId={version.id}
        count={version.unlabeledCount}
        browseTo={`${versionPath(datasetId, version.number)}?class=${UNLABELED_POOL}`}
      />
      <EmbeddingProgress
        versionId={version.id}
        statuses={statuses}
        onStarted={(status) => setStatuses((current) => withStatus(current, status))}
      />
      <ErrorMessage error={subscription.error} />
      <nav className="tabs" aria-label="Version sections">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.label}>
              <NavLink to={versionPath(datasetId, version.number, tab.to)} end={tab.to === ""}>
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<Skeleton lines={8} label="Loading section" />}>
        <Outlet />
      </Suspense>
      <SampleViewer />
    </VersionContext>
  );
}
