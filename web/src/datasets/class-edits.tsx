import { useId, useState } from "react";
import type { ClassCountRowFragment } from "../gql/graphql";
import type { VersionEdit } from "./version-edits";

export interface ClassEditsProps {
  classes: readonly ClassCountRowFragment[];
  onPropose(edit: VersionEdit): void;
}

/** Whole-class edits, each proposed for the page to confirm: rename one class, or merge several into one. */
export function ClassEdits({ classes, onPropose }: ClassEditsProps) {
  const id = useId();
  return (
    <details className="class-edits">
      <summary>Rename or merge classes</summary>
      <RenameForm id={`${id}-rename`} classes={classes} onPropose={onPropose} />
      {classes.length > 1 && <MergeForm id={`${id}-merge`} classes={classes} onPropose={onPropose} />}
    </details>
  );
}

function RenameForm({ id, classes, onPropose }: ClassEditsProps & { id: string }) {
  const [from, setFrom] = useState(classes[0]?.name ?? "");
  const [to, setTo] = useState("");
  const taken = classes.some((entry) => entry.name === to.trim()) && to.trim() !== from;
  return (
    <form
      aria-label="Rename a class"
      onSubmit={(event) => {
        event.preventDefault();
        if (to.trim() && to.trim() !== from) onPropose({ kind: "rename", from, to: to.trim() });
      }}
    >
      <h3>Rename a class</h3>
      <div className="field">
        <label htmlFor={`${id}-from`}>Class</label>
        <select id={`${id}-from`} value={from} onChange={(event) => setFrom(event.target.value)}>
          {classes.map((entry) => (
            <option key={entry.classId} value={entry.name}>
              {entry.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>New name</label>
        <input
          id={`${id}-to`}
          value={to}
          aria-describedby={taken ? `${id}-taken` : undefined}
          onChange={(event) => setTo(event.target.value)}
        />
        {taken && (
          <p className="hint" id={`${id}-taken`}>
            The version has a class {to.trim()}: merge the two instead.
          </p>
        )}
      </div>
      <button type="submit" disabled={!to.trim() || to.trim() === from || taken}>
        Rename…
      </button>
    </form>
  );
}

function MergeForm({ id, classes, onPropose }: ClassEditsProps & { id: string }) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [into, setInto] = useState("");
  const names = classes.map((entry) => entry.name).filter((name) => chosen.has(name));
  // Until a name is typed, the merge goes into the largest class chosen.
  const largest = classes.filter((entry) => chosen.has(entry.name)).sort((a, b) => b.count - a.count)[0];
  const target = into.trim() || largest?.name || "";
  const toggle = (name: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  return (
    <form
      aria-label="Merge classes"
      onSubmit={(event) => {
        event.preventDefault();
        if (names.length >= 2 && target) onPropose({ kind: "merge", classes: names, into: target });
      }}
    >
      <h3>Merge classes</h3>
      <fieldset className="merge-classes">
        <legend>Classes to merge</legend>
        {classes.map((entry) => (
          <label key={entry.classId} className="field-checkbox">
            <input type="checkbox" checked={chosen.has(entry.name)} onChange={() => toggle(entry.name)} />
            {entry.name} <span className="muted">{entry.count.toLocaleString()}</span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-into`}>Into</label>
        <input
          id={`${id}-into`}
          list={`${id}-names`}
          value={into}
          placeholder={largest?.name ?? "A class, or a new name"}
          onChange={(event) => setInto(event.target.value)}
        />
        <datalist id={`${id}-names`}>
          {names.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <button type="submit" disabled={names.length < 2 || !target}>
        {names.length >= 2 ? `Merge ${names.length} classes…` : "Merge…"}
      </button>
    </form>
  );
}
