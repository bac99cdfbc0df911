import { useId, useState } from "react";
import type { PlaygroundDetectMutation } from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { formatProbability } from "./classification-chart";
import { countByLabel, formatBox, formatBoxSize } from "./detection-boxes";
import { DetectionOverlay } from "./detection-overlay";
import { classColour } from "./segment-colours";
import { rgbCss } from "./turbo-colour-scale";

type ObjectDetections = PlaygroundDetectMutation["detectObjects"];

/**
 * The boxes over the image, and the same boxes as a table (label, score, corners, size); pointing at
 * a row brings its box forward. The server's own drawing is a link away.
 */
export function DetectionResult({
  detections: answer,
  imageUrl,
}: {
  detections: ObjectDetections;
  imageUrl: string;
}) {
  const id = useId();
  const [highlighted, setHighlighted] = useState<number | null>(null);
  const { detections, width, height } = answer;
  const summary = countByLabel(detections.map((detection) => detection.label))
    .map(({ label, count }) => `${count} ${label}`)
    .join(", ");
  return (
    <div className="detection-result">
      <p className="result-headline" aria-live="polite">
        {detections.length === 0 ? (
          "No objects found"
        ) : (
          <>
            {detections.length === 1 ? "1 object" : `${detections.length} objects`}:{" "}
            <strong>{summary}</strong>
          </>
        )}
      </p>
      <DetectionOverlay
        detections={detections}
        imageUrl={imageUrl}
        width={width}
        height={height}
        highlighted={highlighted}
        label={`Detections over the image, ${width} × ${height} pixels: ${summary || "none"}`}
      />
      {detections.length === 0 ? (
        <EmptyState title="Nothing above the minimum score">
          Lower the minimum score to see the model&apos;s less certain boxes.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table compact-table" aria-labelledby={`${id}-caption`}>
            <caption id={`${id}-caption`}>Detections ({detections.length})</caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Label</th>
                <th scope="col">Score</th>
                <th scope="col">Box (x1, y1)–(x2, y2)</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody onMouseLeave={() => setHighlighted(null)} onBlur={() => setHighlighted(null)}>
              {detections.map((detection, position) => (
                <tr
                  key={position}
                  className={highlighted === position ? "highlighted" : undefined}
                  tabIndex={0}
                  onMouseEnter={() => setHighlighted(position)}
                  onFocus={() => setHighlighted(position)}
                >
                  <td>{position + 1}</td>
                  <th scope="row">
                    <span
                      className="class-swatch"
                      style={{ backgroundColor: rgbCss(classColour(detection.classIndex)) }}
                      aria-hidden="true"
                    />
                    {detection.label} <span className="muted">#{detection.classIndex}</span>
                  </th>
                  <td>{formatProbability(detection.score)}</td>
                  <td>{formatBox(detection.box)}</td>
                  <td>{formatBoxSize(detection.box)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href={answer.annotatedImageUrl} target="_blank" rel="noreferrer">
          Open the annotated image
        </a>{" "}
        <span className="muted">(the boxes drawn by the server, PNG; the link works for a short time)</span>
      </p>
    </div>
  );
}
