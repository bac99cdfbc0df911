import type { InputHTMLAttributes } from "react";
import { describedBy, FieldProblemText, hasProblem, type FieldProblem } from "./form-problem";

export interface ServingFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string;
  required?: boolean;
  /** The form's and the server's problems with this input, shown under it and linked to it. */
  problem?: FieldProblem;
  /** Extra input attributes (`inputMode`, `autoComplete`, password managers' opt-outs). */
  input?: InputHTMLAttributes<HTMLInputElement> & Record<`data-${string}`, string>;
}

/** A labelled text input with its hint and its problems, announced and tied to it for screen readers. */
export function ServingField({
  id,
  label,
  value,
  onChange,
  hint,
  required,
  problem,
  input,
}: ServingFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        {...input}
        id={id}
        value={value}
        required={required}
        aria-invalid={hasProblem(problem) || undefined}
        aria-describedby={describedBy(id, Boolean(hint), problem)}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldProblemText id={id} problem={problem} />
    </div>
  );
}
