import { useQuery } from "@apollo/client/react";
import { useCallback, useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import {
  ReconstructionArtifactKind,
  ReconstructionDetailDocument,
  type ReconstructionDetailFieldsFragment,
} from "../gql/graphql";
import { isActiveJob } from "../jobs/job-status";
import { useDocumentTitle } from "../layout/use-document-title";
import { scenePath } from "../scenes/scene-paths";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { FactList } from "../ui/fact-list";
import { formatDateTime, formatEnum } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { boundsOf } from "../viewer/bounds";
import { MeshViewer } from "../viewer/mesh-viewer";
import { ArtifactList } from "./artifact-list";
import { CancelReconstruction } from "./cancel-reconstruction";
import { reconstructionsPath } from "./reconstruction-paths";
import { ReconstructionMetrics } from "./reconstruction-metrics";
import { ReconstructionProgress } from "./reconstruction-progress";
import { RenderGallery } from "./render-gallery";
import { isFinished } from "./live-reconstruction";
import { useLiveReconstruction } from "./use-live-reconstruction";

type Reconstruction = ReconstructionDetailFieldsFragment;
const crumbs = [{ label: "Reconstructions", to: reconstructionsPath }];

export default function ReconstructionPage() {
  const { reconstructionId = "" } = useParams();
  const { data, loading, error, refetch } = useQuery(ReconstructionDetailDocument, {
    variables: { id: reconstructionId },
  });
  const reconstruction = data?.reconstruction;
  useDocumentTitle(reconstruction ? titleOf(reconstruction) : "Reconstruction");

  if (loading && !data) return <Skeleton lines={10} label="Loading the reconstruction" />;
  if (!reconstruction) {
    return (
      <>
        <PageHeader title="Reconstruction" crumbs={crumbs} />
        <ErrorMessage error={error} />
        {!error && (
          <EmptyState title="No such reconstruction">It was deleted, or you cannot see it.</EmptyState>
        )}
      </>
    );
  }
  return <ReconstructionView reconstruction={reconstruction} error={error} reload={refetch} />;
}

function ReconstructionView({
  reconstruction,
  error,
  reload,
}: {
  reconstruction: Reconstruction;
  error: unknown;
  reload: () => Promise<unknown>;
}) {
  // The end brings metrics, files and the mesh: read them once more then.
  const onFinished = useCallback(() => void reload().catch(() => null), [reload]);
  // Only the status the page first read decides: a finish seen live keeps the stream's state.
  const [finishedAtFirst] = useState(() => isFinished(reconstruction.status));
  const live = useLiveReconstruction(reconstruction.id, finishedAtFirst, onFinished);
  const status = live.status ?? reconstruction.status;
  const title = titleOf(reconstruction);
  const artifactUrl = (kind: ReconstructionArtifactKind) =>
    reconstruction.artifacts.find((artifact) => artifact.kind === kind)?.url ?? null;
  const meshUrl = artifactUrl(ReconstructionArtifactKind.MeshGlb);
  const pointCloudUrl = artifactUrl(ReconstructionArtifactKind.PointCloudPly);
  const meshBounds = useMemo(() => boundsOf(reconstruction.mesh?.bounds), [reconstruction.mesh?.bounds]);

  return (
    <>
      <PageHeader
        title={title}
        crumbs={crumbs}
        actions={
          <>
            {reconstruction.scene && (
              <Link className="button" to={scenePath(reconstruction.scene.id)}>
                Open the scene
              </Link>
            )}
            {isActiveJob(status) && <CancelReconstruction id={reconstruction.id} />}
          </>
        }
      />
      <ErrorMessage error={error ?? live.streamError} />
      <FactList
        facts={[
          ["Method", formatEnum(reconstruction.method)],
          ["Owner", reconstruction.owner.handle],
          ["Created", formatDateTime(reconstruction.createdAt)],
          ["Started", formatDateTime(reconstruction.startedAt)],
          ["Finished", formatDateTime(reconstruction.finishedAt)],
          ["Job", <code key="job">{reconstruction.id}</code>],
        ]}
      />
      <ReconstructionProgress
        status={reconstruction.status}
        progress={reconstruction.progress}
        error={reconstruction.error?.message ?? null}
        previewUrl={reconstruction.previewUrl ?? null}
        finishedAtFirst={finishedAtFirst}
        history={reconstruction.steps}
        historyTotalSteps={reconstruction.steps.at(-1)?.totalSteps ?? null}
        live={live}
      />
      {meshUrl && (
        <MeshViewer meshUrl={meshUrl} pointCloudUrl={pointCloudUrl} bounds={meshBounds} name={title} />
      )}
      {reconstruction.metrics && (
        <ReconstructionMetrics metrics={reconstruction.metrics} mesh={reconstruction.mesh} />
      )}
      <RenderGallery artifacts={reconstruction.artifacts} />
      <ArtifactList artifacts={reconstruction.artifacts} name={title} />
    </>
  );
}

function titleOf(reconstruction: Reconstruction): string {
  return reconstruction.scene
    ? `${reconstruction.scene.name} · ${formatEnum(reconstruction.method)}`
    : formatEnum(reconstruction.method);
}
