import { servedByWords } from "./served-by";

export interface ServingBadgesProps {
  servedBy: string;
  cached: boolean;
  degraded: boolean;
}

/**
 * Where the answer came from, and the two facts a person must not miss: it is an earlier answer
 * from the prediction cache, or an ensemble answered without one of its members.
 */
export function ServingBadges({ servedBy, cached, degraded }: ServingBadgesProps) {
  return (
    <p className="serving-badges">
      {cached && (
        <span
          className="badge badge-neutral"
          title="An earlier answer for the same image bytes and served version"
        >
          Cached
        </span>
      )}
      {degraded && (
        <span className="badge badge-busy" title="A member failed or timed out; the blend is of the rest">
          Degraded
        </span>
      )}
      <span className="muted">
        Served by <code>{servedBy}</code>
        {servedByWords(servedBy) !== servedBy && <> ({servedByWords(servedBy)})</>}
      </span>
    </p>
  );
}
