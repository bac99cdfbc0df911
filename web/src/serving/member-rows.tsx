import type { ReactNode } from "react";
import { emptyMember, type MemberChoiceGroup, type MemberRow } from "./ensemble-form";
import { describedBy, FieldProblemText, hasProblem, type FieldProblem } from "../ui/field-problem";

export interface MemberRowsProps {
  /** The rows' inputs' ids start with it; the list's own problem's with it and an `s` (`…-members`). */
  id: string;
  /** The fieldset's legend, and its hint (`children`). */
  legend: string;
  children: ReactNode;
  /** "Member" or "Fallback": names each row's inputs. */
  noun: string;
  /** The input's name on the server (`members`, `fallback`): row problems are keyed `members[2]`, `members[2].weight`. */
  list: "members" | "fallback";
  rows: MemberRow[];
  groups: MemberChoiceGroup[];
  max: number;
  /** By row key in form indexes (the list's own by `list`): the form's own checks and the server's problems, placed. */
  problems: Record<string, FieldProblem | undefined>;
  disabled?: boolean;
  onChange(rows: MemberRow[]): void;
}

/**
 * A fieldset of members: one line per member, the version (or alias) it runs and its weight, with
 * Remove and Add buttons, and the problem with the list as a whole.
 */
export function MemberRows({
  id,
  legend,
  children,
  noun,
  list,
  rows,
  groups,
  max,
  problems,
  disabled,
  onChange,
}: MemberRowsProps) {
  const update = (index: number, patch: Partial<MemberRow>) =>
    onChange(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  const listId = `${id}s`;
  return (
    <fieldset aria-describedby={describedBy(listId, false, problems[list])}>
      <legend>{legend}</legend>
      <p className="hint">{children}</p>
      <ol className="member-rows">
        {rows.map((row, index) => {
          const choiceId = `${id}-${index}-model`;
          const weightId = `${id}-${index}-weight`;
          const choiceProblem = problems[`${list}[${index}]`];
          const weightProblem = problems[`${list}[${index}].weight`];
          return (
            <li key={index} className="member-row">
              <div className="field">
                <label htmlFor={choiceId}>
                  {noun} {index + 1}
                </label>
                <select
                  id={choiceId}
                  value={row.choice}
                  disabled={disabled}
                  aria-invalid={hasProblem(choiceProblem) || undefined}
                  aria-describedby={describedBy(choiceId, false, choiceProblem)}
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
                <FieldProblemText id={choiceId} problem={choiceProblem} />
              </div>
              <div className="field field-narrow">
                <label htmlFor={weightId}>
                  {noun} {index + 1} weight
                </label>
                {/* Text, not type=number: a number input reads "1,5" as empty, which would send the default. */}
                <input
                  id={weightId}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  value={row.weight}
                  disabled={disabled}
                  aria-invalid={hasProblem(weightProblem) || undefined}
                  aria-describedby={describedBy(weightId, false, weightProblem)}
                  onChange={(event) => update(index, { weight: event.target.value })}
                />
                <FieldProblemText id={weightId} problem={weightProblem} />
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
          );
        })}
      </ol>
      {rows.length < max && (
        <button type="button" disabled={disabled} onClick={() => onChange([...rows, emptyMember()])}>
          Add a {noun.toLowerCase()}
        </button>
      )}
      <FieldProblemText id={listId} problem={problems[list]} />
    </fieldset>
  );
}
