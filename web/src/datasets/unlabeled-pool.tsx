import { Link } from "react-router";
import { newBatchPath } from "../labeling/labeling-paths";

/**
 * The version's images without a class (an upload's `_unlabeled/` folder or `unlabeled` split):
 * they are no part of training until labelled, and active learning picks which to label first.
 */
export function UnlabeledPool({
  versionId,
  count,
  browseTo,
}: {
  versionId: string;
  count: number;
  /** The samples tab showing the pool, where its samples can be given a class or deleted. */
  browseTo?: string;
}) {
  if (count === 0) return null;
  return (
    <div className="notice unlabeled-pool">
      <p>
        {count.toLocaleString()} image{count === 1 ? " has" : "s have"} no class yet (the unlabeled pool).
        Training leaves {count === 1 ? "it" : "them"} out until labelled.
      </p>
      <div className="button-row">
        {browseTo && (
          <Link className="button" to={browseTo}>
            Browse the pool
          </Link>
        )}
        <Link className="button" to={newBatchPath(versionId)}>
          Label with active learning
        </Link>
      </div>
    </div>
  );
}
