import { skipToken, useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { VersionClassesDocument, VersionDiffDocument, type VersionSummaryFragment } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { Skeleton } from "../ui/skeleton";
import { classChanges, formatCountChange, formatDiff } from "./version-diff";

const changeWords = {
  added: "new class",
  removed: "class removed",
  grew: "grew",
  shrank: "shrank",
  same: "",
};

/** Any two versions side by side: sample changes from the API, class sizes compared here. */
export function VersionCompare({ versions }: { versions: readonly VersionSummaryFragment[] }) {
  const id = useId();
  const [newer, setNewer] = useState(versions[0]?.id ?? "");
  const [older, setOlder] = useState(versions[1]?.id ?? "");
  const same = newer === older;
  const diff = useQuery(VersionDiffDocument, same ? skipToken : { variables: { id: newer, against: older } });
  const newerClasses = useQuery(VersionClassesDocument, same ? skipToken : { variables: { id: newer } });
  const olderClasses = useQuery(VersionClassesDocument, same ? skipToken : { variables: { id: older } });
  const label = (versionId: string) =>
    `v${versions.find((version) => version.id === versionId)?.number ?? "?"}`;
  const after = newerClasses.data?.datasetVersion?.classes;
  const before = olderClasses.data?.datasetVersion?.classes;
  const changes = after && before ? classChanges(before, after) : null;
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
          <ErrorMessage error={diff.error ?? newerClasses.error ?? olderClasses.error} />
          {sampleDiff && (
            <p>
              <strong>
                {label(newer)} against {label(older)}:
              </strong>{" "}
              {formatDiff(sampleDiff)}
            </p>
          )}
          {!changes ? (
            <Skeleton lines={4} label="Loading the classes of both versions" />
          ) : (
            <div className="table-scroll">
              <table className="data-table">
                <caption>Samples per class</caption>
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col">{label(older)}</th>
                    <th scope="col">{label(newer)}</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {changes.map((change) => (
                    <tr key={change.name} className={`class-change class-change-${change.change}`}>
                      <th scope="row">{change.name}</th>
                      <td>{change.before.toLocaleString()}</td>
                      <td>{change.after.toLocaleString()}</td>
                      <td>
                        {formatCountChange(change.before, change.after)}{" "}
                        {changeWords[change.change] && (
                          <span className="muted">{changeWords[change.change]}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

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
