import { useId, type CSSProperties } from "react";
import type { ClassCountRowFragment } from "../gql/graphql";

/** What the filter's "No class" entry chooses: the version's unlabeled pool, as `?class=` says it. */
export const UNLABELED_POOL = "unlabeled";

export interface ClassFilterProps {
  classes: readonly ClassCountRowFragment[];
  total: number;
  /** Samples of the unlabeled pool: a "No class" entry lists them, when there are some. */
  unlabeledCount?: number;
  /** A class id, `UNLABELED_POOL`, or null for all classes. */
  chosen: string | null;
  onChoose(classId: string | null): void;
}

/**
 * The version's classes with their sizes; picking one narrows the grid to it. "No class" shows the
 * unlabeled pool, which "All classes" leaves out.
 */
export function ClassFilter({ classes, total, unlabeledCount = 0, chosen, onChoose }: ClassFilterProps) {
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
        {unlabeledCount > 0 && (
          <li>
            <button
              type="button"
              aria-pressed={chosen === UNLABELED_POOL}
              onClick={() => onChoose(UNLABELED_POOL)}
            >
              <span className="class-name">No class</span>
              <span className="class-count">{unlabeledCount.toLocaleString()}</span>
            </button>
          </li>
        )}
      </ul>
    </section>
  );
}
