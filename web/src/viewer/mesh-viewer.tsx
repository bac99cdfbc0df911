import { useEffect, useId, useRef, useState } from "react";
import { CheckboxField } from "../ui/checkbox-field";
import type { Bounds } from "./bounds";
import type { MeshScene } from "./mesh-scene";
import { canUseWebGL } from "./webgl-support";
import "./viewer.css";

export interface MeshViewerProps {
  /** Signed URL of the GLB. */
  meshUrl: string;
  /** Signed URL of the PLY point cloud, if the reconstruction made one. */
  pointCloudUrl?: string | null;
  bounds?: Bounds | null;
  /** What the model is, for the canvas's label and the downloads' file names. */
  name: string;
}

type ViewerState = { phase: "loading" } | { phase: "ready" } | { phase: "failed"; message: string };

/**
 * The mesh in three.js, orbited with the mouse or a finger, with wireframe and point-cloud
 * views and the files to download. Without WebGL it says so and keeps the downloads, which open
 * in any glTF viewer.
 */
export function MeshViewer({ meshUrl, pointCloudUrl = null, bounds = null, name }: MeshViewerProps) {
  const id = useId();
  const stageElement = useRef<HTMLDivElement>(null);
  const meshScene = useRef<MeshScene | null>(null);
  const [state, setState] = useState<ViewerState>({ phase: "loading" });
  const [wireframe, setWireframe] = useState(false);
  const [pointCloud, setPointCloud] = useState(false);
  const webgl = canUseWebGL();
  const canvasLabel = `3D view of ${name}; drag to orbit, scroll to zoom`;
  // Bounds arrive as a fresh object on every query; only their numbers should reload the mesh.
  const boundsKey = bounds ? [...bounds.min, ...bounds.max].join(",") : "";

  useEffect(() => {
    const element = stageElement.current;
    if (!element || !webgl) return;
    const abort = new AbortController();
    setState({ phase: "loading" });
    const framed = boundsKey ? boundsFromKey(boundsKey) : null;
    import("./mesh-scene")
      .then(({ createMeshScene }) =>
        createMeshScene(
          element,
          { meshUrl, pointCloudUrl, bounds: framed, label: canvasLabel },
          abort.signal,
        ),
      )
      .then(
        (created) => {
          if (abort.signal.aborted) return created.dispose();
          meshScene.current = created;
          setWireframe(false);
          setPointCloud(false);
          setState({ phase: "ready" });
        },
        (error: unknown) => {
          if (!abort.signal.aborted) setState({ phase: "failed", message: loadFailure(error) });
        },
      );
    return () => {
      abort.abort();
      meshScene.current?.dispose();
      meshScene.current = null;
    };
  }, [meshUrl, pointCloudUrl, boundsKey, canvasLabel, webgl]);

  const toggleWireframe = (on: boolean) => {
    setWireframe(on);
    meshScene.current?.setWireframe(on);
  };
  const togglePointCloud = (on: boolean) => {
    setPointCloud(on);
    meshScene.current?.setPointCloud(on).catch((error: unknown) => {
      setPointCloud(false);
      setState({ phase: "failed", message: loadFailure(error) });
    });
  };

  return (
    <section className="mesh-viewer" aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <h2 id={`${id}-title`}>Mesh</h2>
        <div className="button-row">
          <a className="button" href={meshUrl} download={`${fileStem(name)}.glb`}>
            Download GLB
          </a>
          {pointCloudUrl && (
            <a className="button" href={pointCloudUrl} download={`${fileStem(name)}.ply`}>
              Download PLY
            </a>
          )}
        </div>
      </div>
      {webgl ? (
        <>
          <div className="button-row viewer-toggles">
            <CheckboxField
              id={`${id}-wireframe`}
              label="Wireframe"
              checked={wireframe}
              onChange={toggleWireframe}
            />
            <CheckboxField
              id={`${id}-points`}
              label="Point cloud"
              checked={pointCloud}
              onChange={togglePointCloud}
            />
          </div>
          <div className="viewer-stage" data-testid="mesh-viewer" data-state={state.phase} ref={stageElement}>
            {state.phase === "loading" && (
              <p className="viewer-overlay" role="status">
                Loading the mesh…
              </p>
            )}
            {state.phase === "failed" && (
              <p className="viewer-overlay error-message" role="alert">
                {state.message}
              </p>
            )}
          </div>
        </>
      ) : (
        <p className="muted" data-testid="mesh-viewer" data-state="no-webgl">
          This browser cannot draw 3D (WebGL is off or missing). Download the GLB to open it in any glTF
          viewer.
        </p>
      )}
    </section>
  );
}

function boundsFromKey(key: string): Bounds {
  const [x0, y0, z0, x1, y1, z1] = key.split(",").map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { min: [x0, y0, z0], max: [x1, y1, z1] };
}

function loadFailure(error: unknown): string {
  const detail = error instanceof Error && error.message ? `: ${error.message}` : "";
  return `The mesh could not be loaded${detail}. The download may still open in another glTF viewer.`;
}

/** A name safe for a file: letters, digits, dashes. */
export function fileStem(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[^\w.-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "reconstruction"
  );
}
