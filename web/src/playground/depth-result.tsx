import type { PlaygroundEstimateDepthMutation } from "../gql/graphql";
import { ColourScaleLegend } from "./colour-scale-legend";

type DepthEstimate = PlaygroundEstimateDepthMutation["estimateDepth"];

/** The image and its depth map side by side at the same size, with the map's colour scale below. */
export function DepthResult({ depth, imageUrl }: { depth: DepthEstimate; imageUrl: string }) {
  const aspect = `${depth.width} / ${depth.height}`;
  return (
    <div className="depth-result">
      <div className="image-pair">
        <figure>
          <img src={imageUrl} alt="The image sent to the model" style={{ aspectRatio: aspect }} />
          <figcaption>Image</figcaption>
        </figure>
        <figure>
          <img
            src={depth.previewUrl}
            alt={`Depth map, ${depth.width} × ${depth.height} pixels, coloured with the scale below`}
            style={{ aspectRatio: aspect }}
          />
          <figcaption>Depth map</figcaption>
        </figure>
      </div>
      <ColourScaleLegend min={depth.min} max={depth.max} />
      <p>
        <a href={depth.depthUrl} download="depth.png">
          Download the 16-bit depth PNG
        </a>{" "}
        <span className="muted">(smallest value → 0, largest → 65535; the link works for a short time)</span>
      </p>
    </div>
  );
}
