import { useEffect, useId, useRef, useState } from "react";
import type { Bounds } from "../viewer/bounds";
import { canUseWebGL } from "../viewer/webgl-support";
import type { RigCamera } from "./camera-rig-scene";
import "../viewer/viewer.css";

const SPLIT_NAMES: Record<string, string> = { TRAIN: "training", VAL: "validation", TEST: "test" };

/**
 * Where the photos were taken from: each frame's camera drawn as a pyramid around the scene's
 * bounds, coloured by split. A wrong pose (a flipped axis, a scaled capture) shows at a glance.
 */
export function CameraRig({ cameras, bounds }: { cameras: readonly RigCamera[]; bounds: Bounds }) {
  const id = useId();
  const stageElement = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const webgl = canUseWebGL();
  const label = `The ${cameras.length} cameras drawn around the scene's bounds; drag to orbit`;

  useEffect(() => {
    const element = stageElement.current;
    if (!element || !webgl) return;
    let rig: { dispose(): void } | null = null;
    let current = true;
    import("./camera-rig-scene")
      .then(({ createCameraRigScene }) => {
        if (current) rig = createCameraRigScene(element, label, cameras, bounds);
      })
      .catch((error: unknown) => {
        if (current) setFailed(error instanceof Error ? error.message : "the 3D view failed");
      });
    return () => {
      current = false;
      rig?.dispose();
    };
  }, [cameras, bounds, label, webgl]);

  const counts = new Map<string, number>();
  for (const camera of cameras) counts.set(camera.split, (counts.get(camera.split) ?? 0) + 1);
  const summary = [...counts].map(
    ([split, count]) => `${count} ${SPLIT_NAMES[split] ?? split.toLowerCase()}`,
  );

  return (
    <section className="camera-rig" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Cameras</h2>
      <p className="muted">
        {cameras.length} cameras ({summary.join(", ")}) around the scene's bounds, from{" "}
        {bounds.min.map(round).join(", ")} to {bounds.max.map(round).join(", ")}.
      </p>
      {webgl ? (
        <div className="viewer-stage" ref={stageElement}>
          {failed && (
            <p className="viewer-overlay error-message" role="alert">
              {failed}
            </p>
          )}
        </div>
      ) : (
        <p className="muted">This browser cannot draw 3D (WebGL is off or missing).</p>
      )}
    </section>
  );
}

const round = (value: number) => Number(value.toFixed(2)).toString();
