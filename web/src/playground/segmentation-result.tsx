import { useId, useMemo, useState } from "react";
import type { PlaygroundSegmentMutation } from "../gql/graphql";
import { formatNumber } from "../ui/format";
import { MaskOverlay } from "./mask-overlay";
import { areaPercentages, formatArea } from "./segment-areas";
import { classColour } from "./segment-colours";
import { rgbCss } from "./turbo-colour-scale";

type Segmentation = PlaygroundSegmentMutation["segmentImage"];

/** The mask over the image, and each class present with its colour, pixels and share of the image. */
export function SegmentationResult({
  segmentation,
  imageUrl,
}: {
  segmentation: Segmentation;
  imageUrl: string;
}) {
  const id = useId();
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const [opacity, setOpacity] = useState(0.6);
  const { classes, width, height } = segmentation;
  const shares = useMemo(
    () =>
      areaPercentages(
        classes.map((segment) => segment.pixelCount),
        width * height,
      ),
    [classes, width, height],
  );
  const summary = classes
    .slice(0, 5)
    .map((segment, index) => `${segment.label} ${formatArea(shares[index] ?? 0, segment.pixelCount)}`)
    .join(", ");

  const toggle = (index: number, shown: boolean) => {
    const next = new Set(hidden);
    if (shown) next.delete(index);
    else next.add(index);
    setHidden(next);
  };

  return (
    <div className="segmentation-result">
      <MaskOverlay
        maskUrl={segmentation.maskUrl}
        imageUrl={imageUrl}
        width={width}
        height={height}
        hiddenClasses={hidden}
        opacity={opacity}
        label={`Segmentation mask, ${width} × ${height} pixels: ${summary}`}
      />
      <div className="field range-field">
        <label htmlFor={`${id}-opacity`}>Mask opacity</label>
        <input
          id={`${id}-opacity`}
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={opacity}
          aria-valuetext={`${Math.round(opacity * 100)}%`}
          onChange={(event) => setOpacity(Number(event.target.value))}
        />
        <output htmlFor={`${id}-opacity`}>{Math.round(opacity * 100)}%</output>
      </div>
      <div className="table-scroll">
        <table className="data-table compact-table" aria-labelledby={`${id}-caption`}>
          <caption id={`${id}-caption`}>Area by class ({classes.length} present)</caption>
          <thead>
            <tr>
              <th scope="col">Show</th>
              <th scope="col">Class</th>
              <th scope="col">Pixels</th>
              <th scope="col">Area</th>
            </tr>
          </thead>
          <tbody>
            {classes.map((segment, index) => {
              const share = shares[index] ?? 0;
              return (
                <tr key={segment.index}>
                  <td>
                    <input
                      type="checkbox"
                      checked={!hidden.has(segment.index)}
                      aria-label={`Show ${segment.label}`}
                      onChange={(event) => toggle(segment.index, event.target.checked)}
                    />
                  </td>
                  <th scope="row">
                    <span
                      className="class-swatch"
                      style={{ backgroundColor: rgbCss(classColour(segment.index)) }}
                      aria-hidden="true"
                    />
                    {segment.label} <span className="muted">#{segment.index}</span>
                  </th>
                  <td>{formatNumber(segment.pixelCount)}</td>
                  <td>
                    <span className="area-cell">
                      <span className="area-track" aria-hidden="true">
                        <span className="area-bar" style={{ width: `${share}%` }} />
                      </span>
                      {formatArea(share, segment.pixelCount)}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
