import { useId } from "react";
import { ReconstructionArtifactKind, type ReconstructionDetailFieldsFragment } from "../gql/graphql";
import { formatBytes } from "../ui/format";
import { fileStem } from "../viewer/mesh-viewer";

export type Artifact = ReconstructionDetailFieldsFragment["artifacts"][number];

const KIND_LABELS: Record<ReconstructionArtifactKind, { label: string; extension: string }> = {
  [ReconstructionArtifactKind.MeshGlb]: { label: "Mesh (glTF binary)", extension: "glb" },
  [ReconstructionArtifactKind.PointCloudPly]: { label: "Point cloud (PLY)", extension: "ply" },
  [ReconstructionArtifactKind.RenderPng]: { label: "Held-out view render", extension: "png" },
  [ReconstructionArtifactKind.TurntablePng]: { label: "Turntable frame", extension: "png" },
  [ReconstructionArtifactKind.PreviewPng]: { label: "Preview render", extension: "png" },
};

const isModelFile = (artifact: Artifact) =>
  artifact.kind === ReconstructionArtifactKind.MeshGlb ||
  artifact.kind === ReconstructionArtifactKind.PointCloudPly;

interface NamedArtifact {
  artifact: Artifact;
  title: string;
  fileName: string;
}

/** Each artifact's title and download name; kinds with several files are numbered in order. */
export function namedArtifacts(artifacts: readonly Artifact[], name: string): NamedArtifact[] {
  const counters = new Map<string, number>();
  return artifacts.map((artifact) => {
    const { label, extension } = KIND_LABELS[artifact.kind];
    const count = (counters.get(artifact.kind) ?? 0) + 1;
    counters.set(artifact.kind, count);
    const numbered = artifacts.filter((other) => other.kind === artifact.kind).length > 1;
    const kind = artifact.kind
      .toLowerCase()
      .replace(/_(glb|ply|png)$/, "")
      .replace(/_/g, "-");
    return {
      artifact,
      title: numbered ? `${label} ${count}` : label,
      fileName: `${fileStem(name)}-${kind}${numbered ? `-${count}` : ""}.${extension}`,
    };
  });
}

/**
 * The mesh and point cloud as downloads with size and SHA-256; the renders, turntable frames
 * and previews (many small PNGs) folded below them.
 */
export function ArtifactList({ artifacts, name }: { artifacts: readonly Artifact[]; name: string }) {
  const id = useId();
  if (artifacts.length === 0) return null;
  const named = namedArtifacts(artifacts, name);
  const models = named.filter((entry) => isModelFile(entry.artifact));
  const images = named.filter((entry) => !isModelFile(entry.artifact));
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Files ({artifacts.length})</h2>
      {models.length > 0 && <ArtifactTable entries={models} caption="Mesh and point cloud" />}
      {images.length > 0 && (
        <details className="artifact-images">
          <summary>Renders, turntable frames and previews ({images.length} PNG files)</summary>
          <ArtifactTable entries={images} caption="Renders, turntable frames and previews" />
        </details>
      )}
    </section>
  );
}

function ArtifactTable({ entries, caption }: { entries: NamedArtifact[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Size</th>
            <th scope="col">SHA-256</th>
            <th scope="col">
              <span className="visually-hidden">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map(({ artifact, title, fileName }) => (
            <tr key={artifact.url}>
              <th scope="row">{title}</th>
              <td>{formatBytes(artifact.sizeBytes)}</td>
              <td>
                <code className="sha" title={artifact.sha256}>
                  {artifact.sha256.slice(0, 12)}…
                </code>
              </td>
              <td>
                <a
                  className="button"
                  href={artifact.url}
                  download={fileName}
                  aria-label={`Download ${title}`}
                >
                  Download
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
