import type { FeedbackOverviewFragment } from "../gql/graphql";
import { formatProbability } from "../playground/classification-chart";
import { formatDateTime, formatNumber } from "../ui/format";
import { adjustmentVerdict } from "./adjustment-words";

/** What the log's feedback says so far, and the learned adjustment fitted on it. */
export function FeedbackOverview({ version }: { version: FeedbackOverviewFragment }) {
  const { feedbackSummary: summary, feedbackAdjustment: adjustment } = version;
  const observed = summary.withFeedback > 0 ? summary.correct / summary.withFeedback : null;
  return (
    <div className="two-columns feedback-overview">
      <section className="panel" aria-labelledby="feedback-summary-title">
        <h2 id="feedback-summary-title">Feedback</h2>
        <dl className="facts compact">
          <dt>Predictions logged</dt>
          <dd>{formatNumber(summary.predictions)}</dd>
          <dt>With feedback</dt>
          <dd>{formatNumber(summary.withFeedback)}</dd>
          <dt>Correct / wrong</dt>
          <dd>
            {formatNumber(summary.correct)} / {formatNumber(summary.wrong)}
          </dd>
          <dt>Accuracy on feedback</dt>
          <dd>{observed === null ? "—" : formatProbability(observed)}</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="feedback-adjustment-title">
        <h2 id="feedback-adjustment-title">Learned adjustment</h2>
        {adjustment ? (
          <>
            <dl className="facts compact">
              <dt>Method</dt>
              <dd>{adjustment.method}</dd>
              <dt>Fitted on</dt>
              <dd>
                {formatNumber(adjustment.feedbackCount)} feedback, {formatDateTime(adjustment.fittedAt)}
              </dd>
              <dt>Held-out accuracy</dt>
              <dd>
                {formatProbability(adjustment.accuracyBefore)} → {formatProbability(adjustment.accuracyAfter)}
              </dd>
            </dl>
            <p className={adjustment.active ? "notice notice-good" : "notice"}>
              {adjustmentVerdict(adjustment)}
            </p>
          </>
        ) : (
          <p className="muted">
            None yet: one is fitted from this version&apos;s corrections, and applied only if it beats the raw
            scores on held-out feedback.
          </p>
        )}
      </section>
    </div>
  );
}
