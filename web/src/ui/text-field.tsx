import { problemsOf } from "../api/problems";
import { ErrorMessage } from "./error-message";

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
}

/** A labelled text input with its hint and the server's problems with it. */
export function TextField({ id, label, value, onChange, hint, required, field, error }: TextFieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasError = field !== undefined && problemsOf(error).some((problem) => problem.field === field);
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        value={value}
        required={required}
        aria-invalid={hasError || undefined}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={
          [hint ? hintId : "", hasError ? errorId : ""].filter(Boolean).join(" ") || undefined
        }
      />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {field && <ErrorMessage error={error} field={field} id={errorId} />}
    </div>
  );
}
