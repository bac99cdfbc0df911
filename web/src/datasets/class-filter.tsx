import { useId, type CSSProperties } from "react";
import type { ClassCountRowFragment } from "../gql/graphql";

export interface ClassFilterProps {
  classes: readonly ClassCountRowFragment[];
  total: number;
  chosen: string | null;
  onChoose(classId: string | null): void;
}

/** The version's classes with their sizes; picking one narrows the grid to it. */
export function ClassFilter({ classes, total, chosen, onChoose }: ClassFilterProps) {
  const id = useId();
  const largest = Math.max(1, ...classes.map((entry) => entry.count));
  return (
    <section className="class-filter" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Classes ({classes.length.toLocaleString()})</h2>
      <ul role="list">
        <li>
          <button type="button" aria-pressed={chosen === null} onClick={() => onChoose(null)}>
            <span className="class-name">All classes</span>
            <span className="class-count">{total.toLocaleString()}</span>
          </button>
        </li>
        {classes.map((entry) => (
          <li key={entry.classId}>
            <button
              type="button"
              aria-pressed={chosen === entry.classId}
              onClick={() => onChoose(entry.classId)}
              style={{ "--class-share": `${(entry.count / largest) * 100}%` } as CSSProperties}
            >
              <span className="class-name">{entry.name}</span>
              <span className="class-count">{entry.count.toLocaleString()}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
