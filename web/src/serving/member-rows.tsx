import type { MemberChoiceGroup, MemberRow } from "./ensemble-form";

export interface MemberRowsProps {
  id: string;
  /** "Member" or "Fallback": names each row's inputs. */
  noun: string;
  rows: MemberRow[];
  groups: MemberChoiceGroup[];
  max: number;
  disabled?: boolean;
  onChange(rows: MemberRow[]): void;
  onAdd(): void;
}

/** One line per member: the version (or alias) it runs and its weight, with Remove and Add buttons. */
export function MemberRows({ id, noun, rows, groups, max, disabled, onChange, onAdd }: MemberRowsProps) {
  const update = (index: number, patch: Partial<MemberRow>) =>
    onChange(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
    <>
      <ol className="member-rows">
        {rows.map((row, index) => (
          <li key={index} className="member-row">
            <div className="field">
              <label htmlFor={`${id}-${index}-model`}>
                {noun} {index + 1}
              </label>
              <select
                id={`${id}-${index}-model`}
                value={row.choice}
                disabled={disabled}
                onChange={(event) => update(index, { choice: event.target.value })}
              >
                <option value="">Choose a classifier</option>
                {groups.map((group) => (
                  <optgroup key={group.label} label={group.label}>
                    {group.choices.map((choice) => (
                      <option key={choice.value} value={choice.value}>
                        {choice.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
            <div className="field field-narrow">
              <label htmlFor={`${id}-${index}-weight`}>
                {noun} {index + 1} weight
              </label>
              <input
                id={`${id}-${index}-weight`}
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={row.weight}
                disabled={disabled}
                onChange={(event) => update(index, { weight: event.target.value })}
              />
            </div>
            <button
              type="button"
              disabled={disabled}
              aria-label={`Remove ${noun.toLowerCase()} ${index + 1}`}
              onClick={() => onChange(rows.filter((_, at) => at !== index))}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      {rows.length < max && (
        <button type="button" disabled={disabled} onClick={onAdd}>
          Add a {noun.toLowerCase()}
        </button>
      )}
    </>
  );
}
