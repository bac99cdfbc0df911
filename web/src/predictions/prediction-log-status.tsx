import type { PredictionLogVersionQuery } from "../gql/graphql";
import { formatNumber } from "../ui/format";

type Deployment = NonNullable<NonNullable<PredictionLogVersionQuery["model"]>["version"]>["deployment"];

/** Whether new predictions of this version are being logged, and for how long they are kept. */
export function PredictionLogStatus({ deployment }: { deployment: Deployment }) {
  if (!deployment) {
    return (
      <p className="muted">Not deployed: no new predictions are logged. Earlier ones are listed below.</p>
    );
  }
  const log = deployment.config.predictionLog;
  if (!log.enabled) {
    return (
      <p className="notice">
        The deployment&apos;s prediction log is off: new predictions are neither kept nor open to feedback.
        Turn it on in the deployment panel of the version&apos;s page.
      </p>
    );
  }
  return (
    <p className="muted">
      Every prediction of the deployment is logged and kept {formatNumber(log.retentionDays)}{" "}
      {log.retentionDays === 1 ? "day" : "days"}, {log.keepImages ? "with" : "without"} its image.
    </p>
  );
}
