import { useEffect, useRef } from "react";
import { Link } from "react-router";
import type { CreateSceneMutation } from "../gql/graphql";
import { SkippedFiles } from "../datasets/skipped-files";
import { scenePath } from "./scene-paths";

export type SceneUploadResultData = CreateSceneMutation["createScene"];

/** What the upload became, and every listed frame it left out with the reason. */
export function SceneUploadResult({ result }: { result: SceneUploadResultData }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [result]);
  const { scene, skipped } = result;
  return (
    <section className="panel upload-result" aria-labelledby="scene-upload-result-title">
      <h2 id="scene-upload-result-title" ref={heading} tabIndex={-1}>
        Uploaded {scene.name}
      </h2>
      <p>
        {scene.frameCount.toLocaleString()} {scene.frameCount === 1 ? "frame" : "frames"} stored
        {skipped.length === 0
          ? "; no frame skipped"
          : `; ${skipped.length.toLocaleString()} listed ${skipped.length === 1 ? "frame" : "frames"} skipped`}
        .
      </p>
      <div className="button-row">
        <Link className="button primary" to={scenePath(scene.id)}>
          Open {scene.name}
        </Link>
      </div>
      <SkippedFiles files={skipped} title="Skipped frames" />
    </section>
  );
}
