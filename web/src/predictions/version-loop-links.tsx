import { useId } from "react";
import { Link } from "react-router";
import { newPolicyPath, policiesPath } from "../retraining/retraining-paths";
import { predictionsPath } from "./prediction-paths";
import "./loop.css";

/** From a model version to its prediction log and to its model's retraining policies. */
export function VersionLoopLinks({
  owner,
  slug,
  version,
  modelId,
}: {
  owner: string;
  slug: string;
  version: string;
  modelId: string;
}) {
  const id = useId();
  return (
    <section className="panel loop-links" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Feedback and retraining</h2>
      <ul className="link-list">
        <li>
          <Link to={predictionsPath(owner, slug, version)}>Predictions and feedback</Link>
          <span className="muted"> — what this version answered, and corrections</span>
        </li>
        <li>
          <Link to={policiesPath(modelId)}>Retraining policies</Link>
          <span className="muted"> of this model</span> · <Link to={newPolicyPath(modelId)}>New policy</Link>
        </li>
      </ul>
    </section>
  );
}
