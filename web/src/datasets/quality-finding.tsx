import { useEffect, useId, useState } from "react";
import { Link } from "react-router";
import { Severity } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime, formatEnum, formatFraction } from "../ui/format";
import { StateBadge, type BadgeTone } from "../ui/state-badge";
import { FindingControls, type Finding } from "./finding-controls";
import { affectedFraction, sampleNotes, unreadableFiles } from "./finding-notes";
import { classNameOf } from "./sample-catalog";
import { SkippedFiles } from "./skipped-files";
import { useCatalogSnapshot } from "./use-sample-catalog";
import { useSampleParam } from "./use-sample-param";
import { useVersion } from "./version-context";

const tones: Record<Severity, BadgeTone> = {
  [Severity.Error]: "bad",
  [Severity.Warning]: "busy",
  [Severity.Info]: "neutral",
};

const SHOWN_AT_FIRST = 48;

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString()} ${count === 1 ? one : many}`;

export interface QualityFindingCardProps {
  finding: Finding;
  /** The base model the report was asked for (dismissals update that report). */
  baseModelVersionId: string | null;
}

/**
 * One finding: how bad, what to do, why it fired, and the samples it names, each opening in the
 * viewer; for the dataset's owner, fixes for all of them and a way to dismiss it.
 */
export function QualityFindingCard({ finding, baseModelVersionId }: QualityFindingCardProps) {
  const id = useId();
  const { canEdit } = useVersion();
  const [open, setOpen] = useState(false);
  const share = affectedFraction(finding);
  const files = unreadableFiles(finding);
  const count = finding.sampleIds.length;
  return (
    <article
      className={`panel finding finding-${finding.dismissed ? "dismissed" : finding.severity.toLowerCase()}`}
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`}>
        <StateBadge state={finding.severity} tone={finding.dismissed ? "neutral" : tones[finding.severity]} />{" "}
        {formatEnum(finding.kind)}
      </h3>
      {finding.dismissal && (
        <p className="finding-dismissal">
          Dismissed{finding.dismissal.dismissedBy ? ` by ${finding.dismissal.dismissedBy.handle}` : ""} on{" "}
          {formatDateTime(finding.dismissal.dismissedAt)}
          {finding.dismissal.reason ? `: ${finding.dismissal.reason}` : " (no reason given)"}. It deducts
          nothing from the score.
        </p>
      )}
      <p>{finding.recommendation}</p>
      <p className="finding-explanation">
        <span className="muted">Why it fired:</span> {finding.explanation}
      </p>
      <p className="muted">
        {count > 0 ? plural(count, "sample", "samples") : plural(files.length, "file", "files")}
        {share !== null && ` · ${formatFraction(share)} of the version`}
      </p>
      {files.length > 0 && <SkippedFiles files={files} title="Files left out" />}
      {canEdit && <FindingControls finding={finding} baseModelVersionId={baseModelVersionId} />}
      {count > 0 && (
        <>
          <button
            type="button"
            aria-expanded={open}
            aria-controls={`${id}-samples`}
            onClick={() => setOpen(!open)}
          >
            {open
              ? "Hide the samples"
              : `Show the ${count === 1 ? "sample" : `${count.toLocaleString()} samples`}`}
          </button>
          <div id={`${id}-samples`} hidden={!open}>
            {open && <FindingSamples finding={finding} />}
          </div>
        </>
      )}
    </article>
  );
}

/** Thumbnails of the finding's samples, found in the version's catalog (loaded in full for this). */
function FindingSamples({ finding }: { finding: Finding }) {
  const { catalog } = useVersion();
  const snapshot = useCatalogSnapshot(catalog);
  const { sampleHref } = useSampleParam();
  const [shown, setShown] = useState(SHOWN_AT_FIRST);
  useEffect(() => catalog.loadAll(), [catalog]);

  const byId = new Map(snapshot.samples.map((sample) => [sample.sampleId, sample]));
  const notes = sampleNotes(finding);
  const ids = finding.sampleIds.slice(0, shown);
  return (
    <>
      <ErrorMessage error={snapshot.error} />
      <ul className="finding-samples" aria-label={`Samples of ${formatEnum(finding.kind)}`}>
        {ids.map((sampleId) => {
          const sample = byId.get(sampleId);
          const note = notes.get(sampleId);
          return (
            <li key={sampleId}>
              {sample ? (
                <Link
                  to={sampleHref(sampleId)}
                  aria-label={`${sample.originalPath}, class ${classNameOf(sample)}${note ? `: ${note}` : ""}`}
                >
                  <img src={sample.thumbnailUrl} alt="" loading="lazy" width={96} height={96} />
                  <span className="finding-sample-class">{classNameOf(sample)}</span>
                  {note && <span className="finding-sample-note">{note}</span>}
                </Link>
              ) : (
                <span className="finding-sample-pending" role="status" aria-label="Loading sample" />
              )}
            </li>
          );
        })}
      </ul>
      {finding.sampleIds.length > shown && (
        <button type="button" className="show-more" onClick={() => setShown(shown + SHOWN_AT_FIRST * 2)}>
          Show more ({(finding.sampleIds.length - shown).toLocaleString()} left)
        </button>
      )}
    </>
  );
}
