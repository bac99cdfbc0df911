import { useEffect, useRef } from "react";
import { Link } from "react-router";
import type { UploadedDatasetFragment } from "../gql/graphql";
import { datasetPath, versionPath } from "./dataset-paths";
import { SkippedFiles } from "./skipped-files";

/** What the upload became, and every file it left out with the reason. */
export function UploadResult({ result }: { result: UploadedDatasetFragment }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [result]);
  const { dataset, version } = result;
  return (
    <section className="panel upload-result" aria-labelledby="upload-result-title">
      <h2 id="upload-result-title" ref={heading} tabIndex={-1}>
        Uploaded {dataset.name} v{version.number}
      </h2>
      <p>
        {result.imageCount.toLocaleString()} images in {result.classCount.toLocaleString()} classes
        {result.skipped.length === 0
          ? "; no file skipped"
          : `; ${result.skipped.length.toLocaleString()} ${result.skipped.length === 1 ? "file" : "files"} skipped`}
        .{" "}
        {result.embeddingsQueued
          ? "Embeddings are being computed: follow them on the version's page."
          : "No embeddings were requested."}
      </p>
      <div className="button-row">
        <Link className="button primary" to={versionPath(dataset.id, version.number)}>
          Explore {dataset.name} v{version.number}
        </Link>
        <Link className="button" to={datasetPath(dataset.id)}>
          Version history
        </Link>
      </div>
      <SkippedFiles files={result.skipped} />
    </section>
  );
}
