import { useId, useRef, useState, type KeyboardEvent } from "react";
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
  // Roving tabindex: the table is one tab stop (the row last visited); arrows move between rows.
  const [current, setCurrent] = useState(0);
  const body = useRef<HTMLTableSectionElement>(null);
  const { detections, width, height } = answer;
  const active = Math.min(current, Math.max(detections.length - 1, 0));
  const moveBy = (event: KeyboardEvent) => {
    const last = detections.length - 1;
    const next =
      event.key === "ArrowDown"
        ? Math.min(active + 1, last)
        : event.key === "ArrowUp"
          ? Math.max(active - 1, 0)
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    setCurrent(next);
    body.current?.querySelectorAll<HTMLTableRowElement>("tr")[next]?.focus();
  };
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
          <table
            className="data-table compact-table"
            aria-labelledby={`${id}-caption`}
            aria-describedby={`${id}-keys`}
          >
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
            <tbody
              ref={body}
              onMouseLeave={() => setHighlighted(null)}
              onBlur={() => setHighlighted(null)}
              onKeyDown={moveBy}
            >
              {detections.map((detection, position) => (
                <tr
                  key={position}
                  className={highlighted === position ? "highlighted" : undefined}
                  tabIndex={position === active ? 0 : -1}
                  onMouseEnter={() => setHighlighted(position)}
                  onFocus={() => {
                    setCurrent(position);
                    setHighlighted(position);
                  }}
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
          <p className="hint" id={`${id}-keys`}>
            Up and down arrows move between rows; the focused row&apos;s box is brought forward.
          </p>
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
