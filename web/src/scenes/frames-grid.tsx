import { useId, useState } from "react";
import type { SceneDetailQuery } from "../gql/graphql";
import { formatEnum } from "../ui/format";
import { SPLIT_COLOURS } from "./split-colours";

export type SceneFrameRow = NonNullable<SceneDetailQuery["scene"]>["frames"][number];

const SHOWN_AT_FIRST = 60;

/** Every frame's thumbnail with its split; a click opens the full photo. Long captures open in steps. */
export function FramesGrid({ frames }: { frames: readonly SceneFrameRow[] }) {
  const id = useId();
  const [shown, setShown] = useState(SHOWN_AT_FIRST);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Frames ({frames.length.toLocaleString()})</h2>
      <ul className="frames-grid" aria-label="Frames">
        {frames.slice(0, shown).map((frame) => (
          <li key={frame.id}>
            <a href={frame.imageUrl} target="_blank" rel="noreferrer">
              <img
                src={frame.thumbnailUrl}
                alt={`Frame ${frame.index}: ${frame.filePath}`}
                loading="lazy"
                width={frame.width}
                height={frame.height}
              />
            </a>
            <span className="frame-caption">
              <span
                className="badge split-badge"
                style={{ borderColor: SPLIT_COLOURS[frame.split], color: SPLIT_COLOURS[frame.split] }}
              >
                {formatEnum(frame.split)}
              </span>
              <code title={frame.filePath}>{frame.filePath}</code>
            </span>
          </li>
        ))}
      </ul>
      {frames.length > shown && (
        <button type="button" className="show-more" onClick={() => setShown(shown + SHOWN_AT_FIRST * 4)}>
          Show {Math.min(frames.length - shown, SHOWN_AT_FIRST * 4).toLocaleString()} more
        </button>
      )}
    </section>
  );
}
