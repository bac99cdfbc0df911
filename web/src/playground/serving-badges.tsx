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
// Said to screen readers too (a `title` alone reaches only mouse users); shown on hover.
const CACHED = "an earlier answer for the same image bytes and served version";
const DEGRADED = "a member failed or timed out; the blend is of the rest";

export function ServingBadges({ servedBy, cached, degraded }: ServingBadgesProps) {
  return (
    <p className="serving-badges">
      {cached && (
        <>
          <span className="badge badge-neutral" title={CACHED}>
            Cached
          </span>
          <span className="visually-hidden">: {CACHED}. </span>
        </>
      )}
      {degraded && (
        <>
          <span className="badge badge-busy" title={DEGRADED}>
            Degraded
          </span>
          <span className="visually-hidden">: {DEGRADED}. </span>
        </>
      )}
      <span className="muted">
        Served by <code>{servedBy}</code>
        {servedByWords(servedBy) !== servedBy && <> ({servedByWords(servedBy)})</>}
      </span>
    </p>
  );
}
