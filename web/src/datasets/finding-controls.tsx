import { useId, useState } from "react";
import type { QualityReportDetailFragment } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { EditForm } from "./edit-form";
import { findingRemedies } from "./finding-actions";
import { useCatalogSnapshot } from "./use-sample-catalog";
import { useFindingDismissal } from "./use-finding-dismissal";
import { useVersionEdit } from "./use-version-edit";
import { useVersion } from "./version-context";
import type { VersionEdit } from "./version-edits";

export type Finding = QualityReportDetailFragment["findings"][number];

export interface FindingControlsProps {
  finding: Finding;
  /** The base model the report was asked for, so a dismissal updates that report. */
  baseModelVersionId: string | null;
}

/**
 * What the dataset's owner can do about a finding: apply a fix to all its samples (a new
 * version, confirmed with a message), or dismiss it for this version with a reason, and restore it.
 */
export function FindingControls({ finding, baseModelVersionId }: FindingControlsProps) {
  const { datasetId, version } = useVersion();
  const editor = useVersionEdit(datasetId, version.id);
  const dismissal = useFindingDismissal(version.id, baseModelVersionId);
  const [proposed, setProposed] = useState<VersionEdit | null>(null);

  if (finding.dismissed) {
    return (
      <div className="finding-controls">
        <button
          type="button"
          disabled={dismissal.busy}
          onClick={() => void dismissal.restore(finding.kind).catch(() => null)}
        >
          Restore
        </button>
        <ErrorMessage error={dismissal.error} />
      </div>
    );
  }
  if (proposed) {
    return <EditForm edit={proposed} editor={editor} onCancel={() => setProposed(null)} />;
  }
  const propose = (edit: VersionEdit) => {
    editor.reset();
    setProposed(edit);
  };
  return (
    <div className="finding-controls">
      <ApplyToAll finding={finding} onPropose={propose} />
      <DismissForm
        busy={dismissal.busy}
        onDismiss={(reason) => void dismissal.dismiss(finding.kind, reason).catch(() => null)}
      />
      <ErrorMessage error={dismissal.error} />
    </div>
  );
}

function ApplyToAll({ finding, onPropose }: { finding: Finding; onPropose(edit: VersionEdit): void }) {
  const id = useId();
  const { version, catalog } = useVersion();
  const snapshot = useCatalogSnapshot(catalog);
  const [label, setLabel] = useState("");
  const { fixes, relabelAll } = findingRemedies(finding);
  if (fixes.length === 0 && !relabelAll) return null;

  const relabel = () => {
    const target = label.trim();
    const known = new Map(snapshot.samples.map((sample) => [sample.sampleId, sample.class?.name]));
    // Samples the catalog has not loaded yet are sent too; those already in the class are not.
    const changes = finding.sampleIds
      .filter((sampleId) => known.get(sampleId) !== target)
      .map((sampleId) => ({ sampleId, label: target }));
    if (changes.length > 0) onPropose({ kind: "relabel", changes });
  };
  return (
    <div role="group" aria-label="Apply to all in this finding" className="apply-to-all">
      <span className="muted">Apply to all in this finding:</span>
      {fixes.map((fix) => (
        <button
          key={fix.label}
          type="button"
          className={fix.edit.kind === "delete" ? "danger" : undefined}
          onClick={() => onPropose(fix.edit)}
        >
          {fix.label}
        </button>
      ))}
      {relabelAll && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            relabel();
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-label`}>Relabel all as</label>
            <input
              id={`${id}-label`}
              list={`${id}-classes`}
              value={label}
              onChange={(event) => setLabel(event.target.value)}
            />
            <datalist id={`${id}-classes`}>
              {version.classes.map((entry) => (
                <option key={entry.classId} value={entry.name} />
              ))}
            </datalist>
          </div>
          <button type="submit" disabled={!label.trim()}>
            Relabel all
          </button>
        </form>
      )}
    </div>
  );
}

function DismissForm({ busy, onDismiss }: { busy: boolean; onDismiss(reason: string): void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Dismiss…
      </button>
    );
  }
  return (
    <form
      className="inline-form dismiss-form"
      aria-label="Dismiss this finding"
      onSubmit={(event) => {
        event.preventDefault();
        onDismiss(reason);
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-reason`}>Why it does not apply</label>
        <input
          id={`${id}-reason`}
          value={reason}
          autoFocus
          placeholder="e.g. the images are meant to be this small"
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <button type="submit" disabled={busy}>
        Dismiss
      </button>
      <button type="button" onClick={() => setOpen(false)} disabled={busy}>
        Cancel
      </button>
    </form>
  );
}
