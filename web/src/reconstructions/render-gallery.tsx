import { useId } from "react";
import { ReconstructionArtifactKind } from "../gql/graphql";
import type { Artifact } from "./artifact-list";

/**
 * The held-out views as the field renders them and the turntable around the mesh: what a
 * client without WebGL shows, and a check on the metrics by eye.
 */
export function RenderGallery({ artifacts }: { artifacts: readonly Artifact[] }) {
  const id = useId();
  const renders = artifacts.filter((artifact) => artifact.kind === ReconstructionArtifactKind.RenderPng);
  const turntable = artifacts.filter((artifact) => artifact.kind === ReconstructionArtifactKind.TurntablePng);
  if (renders.length === 0 && turntable.length === 0) return null;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Renders</h2>
      {renders.length > 0 && (
        <ImageStrip label="Held-out views" images={renders} alt="Held-out view render" />
      )}
      {turntable.length > 0 && <ImageStrip label="Turntable" images={turntable} alt="Turntable frame" />}
    </section>
  );
}

function ImageStrip({ label, images, alt }: { label: string; images: readonly Artifact[]; alt: string }) {
  return (
    <>
      <h3>{label}</h3>
      <ul className="render-strip" aria-label={label}>
        {images.map((image, index) => (
          <li key={image.url}>
            <a href={image.url} target="_blank" rel="noreferrer">
              <img src={image.url} alt={`${alt} ${index + 1}`} loading="lazy" />
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
