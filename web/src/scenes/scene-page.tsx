import { useQuery } from "@apollo/client/react";
import { useMemo } from "react";
import { useParams } from "react-router";
import { SceneDetailDocument, type SceneDetailQuery } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { FactList } from "../ui/fact-list";
import { formatBytes, formatDateTime, formatEnum } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { boundsOf } from "../viewer/bounds";
import { CameraRig } from "./camera-rig";
import type { RigCamera } from "./camera-rig-scene";
import { DeleteScene } from "./delete-scene";
import { FramesGrid } from "./frames-grid";
import { ReconstructForm } from "./reconstruct-form";
import { scenesPath } from "./scene-paths";

type Scene = NonNullable<SceneDetailQuery["scene"]>;
const crumbs = [{ label: "Scenes", to: scenesPath }];

export default function ScenePage() {
  const { sceneId = "" } = useParams();
  const { data, loading, error } = useQuery(SceneDetailDocument, { variables: { id: sceneId } });
  const scene = data?.scene;
  useDocumentTitle(scene ? scene.name : "Scene");

  if (loading && !data) return <Skeleton lines={10} label="Loading the scene" />;
  if (!scene) {
    return (
      <>
        <PageHeader title="Scene" crumbs={crumbs} />
        <ErrorMessage error={error} />
        {!error && <EmptyState title="No such scene">It was deleted, or you cannot see it.</EmptyState>}
      </>
    );
  }
  return <SceneView scene={scene} />;
}

function SceneView({ scene }: { scene: Scene }) {
  // Memoised so the 3D view is rebuilt only when the scene itself changes.
  const bounds = useMemo(() => boundsOf(scene.bounds), [scene.bounds]);
  const cameras = useMemo<RigCamera[]>(
    () =>
      scene.frames.map((frame) => ({
        ...frame.camera,
        width: frame.width,
        height: frame.height,
        split: frame.split,
      })),
    [scene.frames],
  );

  return (
    <>
      <PageHeader title={scene.name} crumbs={crumbs} />
      {scene.description && <p className="lead">{scene.description}</p>}
      <div className="two-columns">
        <FactList
          facts={[
            ["Owner", scene.owner.handle],
            ["Visibility", scene.public ? "Public" : "Private"],
            ["Format", formatEnum(scene.format)],
            ["Frames", `${scene.frameCount.toLocaleString()} of ${scene.width}×${scene.height} pixels`],
            [
              "Background",
              <span key="background">
                <span className="colour-swatch" style={{ background: scene.background }} aria-hidden="true" />{" "}
                <code>{scene.background}</code>
              </span>,
            ],
            ["Stored", formatBytes(scene.sizeBytes)],
            ["Uploaded", formatDateTime(scene.createdAt)],
          ]}
        />
        {bounds && <CameraRig cameras={cameras} bounds={bounds} />}
      </div>
      <section className="panel" aria-labelledby="reconstruct-title">
        <h2 id="reconstruct-title">Reconstruct</h2>
        <ReconstructForm sceneId={scene.id} sceneBackground={scene.background} />
      </section>
      <FramesGrid frames={scene.frames} />
      <DeleteScene sceneId={scene.id} name={scene.name} />
    </>
  );
}
