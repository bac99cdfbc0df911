import type { InputHTMLAttributes } from "react";
import { problemsOf } from "../api/problems";
import { describedBy, FieldProblemText, hasProblem, type FieldProblem } from "./field-problem";

export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string;
  required?: boolean;
  /** The server's name for this input, to show its problems here. */
  field?: string;
  error?: unknown;
  /** The problems with this input, already placed (the form's own check, the server's): instead of `field`. */
  problem?: FieldProblem;
  /** Extra input attributes (`type`, `inputMode`, `autoComplete`, password managers' opt-outs). */
  input?: InputHTMLAttributes<HTMLInputElement> & Record<`data-${string}`, string>;
  /** A text area this many lines high instead of a one-line input. */
  rows?: number;
}

/** A labelled text input with its hint and its problems, announced and tied to it for screen readers. */
export function TextField({
  id,
  label,
  value,
  onChange,
  hint,
  required,
  field,
  error,
  problem = { server: problemsOf(error).filter((found) => field !== undefined && found.field === field) },
  input,
  rows,
}: TextFieldProps) {
  const control = {
    id,
    value,
    required,
    "aria-invalid": hasProblem(problem) || undefined,
    "aria-describedby": describedBy(id, Boolean(hint), problem),
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {rows === undefined ? <input {...input} {...control} /> : <textarea rows={rows} {...control} />}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldProblemText id={id} problem={problem} />
    </div>
  );
}
