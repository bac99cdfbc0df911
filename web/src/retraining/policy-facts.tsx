import { Link } from "react-router";
import type { RetrainingPolicySummaryFragment } from "../gql/graphql";
import { datasetPath } from "../datasets/dataset-paths";
import { modelPath } from "../models/model-paths";
import { formatDateTime } from "../ui/format";
import { formatCooldown, triggerPhrases } from "./policy-words";

/** What the policy retrains, on what, when it fires, and what it takes to promote. */
export function PolicyFacts({ policy }: { policy: RetrainingPolicySummaryFragment }) {
  const { model, dataset, promote } = policy;
  const triggers = triggerPhrases(policy.triggers);
  return (
    <dl className="facts">
      <dt>Model</dt>
      <dd>
        <Link to={modelPath(model.owner.handle, model.slug)}>
          {model.owner.handle}/{model.slug}
        </Link>
      </dd>
      <dt>Dataset</dt>
      <dd>
        <Link to={datasetPath(dataset.id)}>{dataset.name}</Link>
      </dd>
      <dt>Fires on</dt>
      <dd>{triggers.length > 0 ? triggers.join("; or ") : "no trigger"}</dd>
      <dt>Promotes</dt>
      <dd>
        moves {promote.alias} to the challenger when its accuracy on the same held-out set (at least 20
        samples) is above the champion&apos;s + {(promote.mustBeatChampionBy * 100).toFixed(1)} points
      </dd>
      <dt>Cooldown</dt>
      <dd>{formatCooldown(policy.cooldown)}</dd>
      <dt>Created</dt>
      <dd>{formatDateTime(policy.createdAt)}</dd>
      {policy.triggers.nextScheduledAt && (
        <>
          <dt>Schedule next due</dt>
          <dd>{formatDateTime(policy.triggers.nextScheduledAt)}</dd>
        </>
      )}
      <dt>Last evaluated</dt>
      <dd>{policy.lastEvaluatedAt ? formatDateTime(policy.lastEvaluatedAt) : "never"}</dd>
      <dt>Last fired</dt>
      <dd>{policy.lastFiredAt ? formatDateTime(policy.lastFiredAt) : "never"}</dd>
    </dl>
  );
}
