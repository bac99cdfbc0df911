import { useId, type ReactNode } from "react";
import type { FieldMessage } from "./field-messages";

/** A field's problem, under it, announced as it appears; the server's code when it came from there. */
export function FieldError({ id, message }: { id: string; message: FieldMessage | undefined }) {
  if (!message) return null;
  return (
    <div className="error-message field-error" role="alert" id={id}>
      <p>
        {message.code && <span className="error-code">{message.code}</span>} {message.text}
      </p>
    </div>
  );
}

interface FieldFrame {
  /** The server's name for the option (`learningRate`): the input's name, and where its problems land. */
  name: string;
  label: string;
  hint?: ReactNode;
  message?: FieldMessage;
  /** The person left the field: its own checks show from now on. */
  onTouched?: (name: string) => void;
}

function describedBy(id: string, hint: unknown, message: unknown) {
  return [hint ? `${id}-hint` : "", message ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
}

/** The hint and the problem under a field, named so `describedBy` can point at them. */
function FieldNotes({ id, hint, message }: { id: string; hint?: ReactNode; message?: FieldMessage }) {
  return (
    <>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={message} />
    </>
  );
}

export interface NumberFieldProps extends FieldFrame {
  value: string;
  onChange(value: string): void;
}

/** Typed as text so `1e-3` and half-typed numbers survive; the form's checks say what is wrong. */
export function NumberField({ name, label, hint, message, value, onChange, onTouched }: NumberFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        inputMode="decimal"
        autoComplete="off"
        value={value}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy(id, hint, message)}
        onChange={(event) => onChange(event.target.value)}
        onBlur={() => onTouched?.(name)}
      />
      <FieldNotes id={id} hint={hint} message={message} />
    </div>
  );
}

export interface TextFieldProps extends FieldFrame {
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  required?: boolean;
}

export function TextField({
  name,
  label,
  hint,
  message,
  value,
  onChange,
  onTouched,
  placeholder,
  required,
}: TextFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        name={name}
        autoComplete="off"
        value={value}
        placeholder={placeholder}
        aria-required={required || undefined}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy(id, hint, message)}
        onChange={(event) => onChange(event.target.value)}
        onBlur={() => onTouched?.(name)}
      />
      <FieldNotes id={id} hint={hint} message={message} />
    </div>
  );
}

export interface SelectFieldProps<T extends string> extends FieldFrame {
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange(value: T): void;
}

export function SelectField<T extends string>({
  name,
  label,
  hint,
  message,
  value,
  options,
  onChange,
}: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy(id, hint, message)}
        onChange={(event) => onChange(event.target.value as T)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={hint} message={message} />
    </div>
  );
}

export interface CheckboxFieldProps extends FieldFrame {
  checked: boolean;
  onChange(checked: boolean): void;
}

export function CheckboxField({ name, label, hint, message, checked, onChange }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className="field-group">
      <div className="field field-checkbox">
        <input
          id={id}
          name={name}
          type="checkbox"
          checked={checked}
          aria-invalid={message ? true : undefined}
          aria-describedby={describedBy(id, hint, message)}
          onChange={(event) => onChange(event.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <FieldNotes id={id} hint={hint} message={message} />
    </div>
  );
}
