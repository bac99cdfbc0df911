import { drawnBox, labelFontSize, type PixelBox } from "./detection-boxes";
import { formatProbability } from "./classification-chart";
import { classColour } from "./segment-colours";
import { rgbCss } from "./turbo-colour-scale";

export interface OverlayDetection {
  label: string;
  score: number;
  classIndex: number;
  box: PixelBox;
}

export interface DetectionOverlayProps {
  detections: readonly OverlayDetection[];
  /** The image the boxes belong to, and its size in pixels (the boxes' coordinate space). */
  imageUrl: string;
  width: number;
  height: number;
  /** The detection (by position) whose box stands out, while its table row is pointed at. */
  highlighted: number | null;
  /** What the picture shows, for screen readers. */
  label: string;
}

/**
 * The image with each box, label and score drawn over it. The SVG's viewBox is the source image's
 * pixels and it stretches over the displayed image, so boxes land where the model saw them at any
 * displayed size; strokes keep their on-screen width whatever the scale.
 */
export function DetectionOverlay({
  detections,
  imageUrl,
  width,
  height,
  highlighted,
  label,
}: DetectionOverlayProps) {
  const fontSize = labelFontSize(width, height);
  return (
    <figure className="detection-overlay" role="group" aria-label={label}>
      <div
        className="overlay-stack"
        // As wide as the column allows, but never taller than 32rem: tall images shrink in width instead.
        style={{
          aspectRatio: `${width} / ${height}`,
          width: `min(100%, ${((32 * width) / height).toFixed(2)}rem)`,
        }}
      >
        <img src={imageUrl} alt="" />
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
          {detections.map((detection, position) => {
            const text = `${detection.label} ${formatProbability(detection.score)}`;
            const drawn = drawnBox(detection.box, text, width, height, fontSize);
            const colour = rgbCss(classColour(detection.classIndex));
            const state = highlighted === null ? "" : highlighted === position ? " highlighted" : " dimmed";
            return (
              <g key={position} className={`detection-box${state}`} data-testid="detection-box">
                <rect
                  x={drawn.x}
                  y={drawn.y}
                  width={drawn.width}
                  height={drawn.height}
                  fill="none"
                  stroke={colour}
                  vectorEffect="non-scaling-stroke"
                />
                <rect
                  x={drawn.tag.x}
                  y={drawn.tag.y}
                  width={drawn.tag.width}
                  height={drawn.tag.height}
                  fill={colour}
                />
                {/* White on the class colour, outlined so light colours stay readable. */}
                <text
                  x={drawn.text.x}
                  y={drawn.text.y}
                  fontSize={fontSize}
                  fill="#ffffff"
                  stroke="rgb(0 0 0 / 55%)"
                  strokeWidth={fontSize * 0.12}
                  paintOrder="stroke"
                >
                  {text}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption className="muted">Boxes as the model found them, over the image sent</figcaption>
    </figure>
  );
}
