import { skipToken, useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { VersionDiffDocument, type VersionSummaryFragment } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { Skeleton } from "../ui/skeleton";
import { classChanges, classTotals, formatCountChange, formatDiff, type ClassDiff } from "./version-diff";

const changeWords = {
  added: "new class",
  removed: "class removed",
  grew: "grew",
  shrank: "shrank",
  same: "",
};

/**
 * Any two versions side by side, compared by content (an image is the same image in both when
 * its bytes are): the totals and, from the same answer, what each class gained and lost.
 */
export function VersionCompare({ versions }: { versions: readonly VersionSummaryFragment[] }) {
  const id = useId();
  const [newer, setNewer] = useState(versions[0]?.id ?? "");
  const [older, setOlder] = useState(versions[1]?.id ?? "");
  const same = newer === older;
  const diff = useQuery(VersionDiffDocument, same ? skipToken : { variables: { id: newer, against: older } });
  const label = (versionId: string) =>
    `v${versions.find((version) => version.id === versionId)?.number ?? "?"}`;
  const sampleDiff = diff.data?.datasetVersion?.diff;

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Compare versions</h2>
      <div className="inline-form">
        <VersionSelect
          id={`${id}-newer`}
          label="Version"
          value={newer}
          onChange={setNewer}
          versions={versions}
        />
        <VersionSelect
          id={`${id}-older`}
          label="Against"
          value={older}
          onChange={setOlder}
          versions={versions}
        />
      </div>
      {same ? (
        <p className="muted">Pick two different versions.</p>
      ) : (
        <div className="version-compare" aria-live="polite">
          <ErrorMessage error={diff.error} />
          {!sampleDiff ? (
            !diff.error && <Skeleton lines={4} label="Comparing the two versions" />
          ) : (
            <>
              <p>
                <strong>
                  {label(newer)} against {label(older)}:
                </strong>{" "}
                {formatDiff(sampleDiff)}
              </p>
              <ClassTable
                classes={sampleDiff.classes}
                relabelled={sampleDiff.relabelled}
                older={label(older)}
                newer={label(newer)}
              />
            </>
          )}
        </div>
      )}
    </section>
  );
}

interface ClassTableProps {
  classes: readonly ClassDiff[];
  relabelled: number;
  older: string;
  newer: string;
}

function ClassTable({ classes, relabelled, older, newer }: ClassTableProps) {
  const totals = classTotals(classes);
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>Samples per class</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">{older}</th>
            <th scope="col">{newer}</th>
            <th scope="col">Change</th>
            <th scope="col">Added</th>
            <th scope="col">Removed</th>
          </tr>
        </thead>
        <tbody>
          {classChanges(classes).map((change) => (
            <tr key={change.name} className={`class-change class-change-${change.change}`}>
              <th scope="row">{change.name}</th>
              <td>{change.before.toLocaleString()}</td>
              <td>{change.after.toLocaleString()}</td>
              <td>
                {formatCountChange(change.before, change.after)}{" "}
                {changeWords[change.change] && <span className="muted">{changeWords[change.change]}</span>}
              </td>
              <td>{signed("+", change.added)}</td>
              <td>{signed("−", change.removed)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">All classes</th>
            <td>{totals.before.toLocaleString()}</td>
            <td>{totals.after.toLocaleString()}</td>
            <td>{formatCountChange(totals.before, totals.after)}</td>
            <td>{signed("+", totals.added)}</td>
            <td>{signed("−", totals.removed)}</td>
          </tr>
        </tfoot>
      </table>
      {relabelled > 0 && (
        <p className="hint">
          A relabelled sample counts as added to its new class and removed from its old one:{" "}
          {relabelled.toLocaleString()} of the additions and removals above are relabels.
        </p>
      )}
    </div>
  );
}

/** "+4", "−2", or "0" when nothing moved. */
const signed = (sign: "+" | "−", count: number) => (count === 0 ? "0" : `${sign}${count.toLocaleString()}`);

interface VersionSelectProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  versions: readonly VersionSummaryFragment[];
}

function VersionSelect({ id, label, value, onChange, versions }: VersionSelectProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {versions.map((version) => (
          <option key={version.id} value={version.id}>
            v{version.number} · {version.imageCount.toLocaleString()} images
          </option>
        ))}
      </select>
    </div>
  );
}
