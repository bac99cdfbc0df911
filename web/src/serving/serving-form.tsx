import { useId, type FormEvent, type ReactNode } from "react";
import type { Problem } from "../api/problems";
import type { FieldProblem } from "../ui/field-problem";
import { OtherProblems, placeProblems } from "./form-problem";

/** What a serving form (an ensemble, a remote model) is given by its page. */
export interface ServingFormProps<F> {
  form: F;
  onChange(form: F): void;
  /** What the form found wrong before sending, by input (`members[1].weight` for a row's weight). */
  problems: Record<string, string>;
  /** The server's refusal: its code and message, at the input or row it names or under the button. */
  error: unknown;
  saving: boolean;
  onSubmit(): void;
}

/**
 * A serving form's plumbing: its ids' prefix, a setter for one input, and each input's problems
 * (the form's own and the server's, whose field names `placeOf` turns into the form's keys).
 */
export function useServingForm<F>(
  { form, onChange, problems, error }: ServingFormProps<F>,
  fields: readonly string[],
  placeOf: (field: string) => string | null,
) {
  const id = useId();
  const set = <K extends keyof F>(key: K, value: F[K]) => onChange({ ...form, [key]: value });
  const server = placeProblems(error, fields, placeOf);
  const keys = new Set([...Object.keys(problems), ...Object.keys(server.at)]);
  const placed: Record<string, FieldProblem> = Object.fromEntries(
    [...keys].map((key) => [key, { client: problems[key], server: server.at[key] }]),
  );
  return { id, set, placed, other: server.other };
}

export interface ServingFormFrameProps {
  /** The form's accessible name. */
  label: string;
  /** The submit button's words, and its words while saving. */
  submitLabel: string;
  savingLabel: string;
  saving: boolean;
  onSubmit(): void;
  /** The server's problems no input took, shown under the button. */
  other: readonly Problem[];
  children: ReactNode;
}

/** The form around a serving form's inputs: unchecked by the browser, its submit button and the problems left over. */
export function ServingFormFrame({
  label,
  submitLabel,
  savingLabel,
  saving,
  onSubmit,
  other,
  children,
}: ServingFormFrameProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="serving-form" onSubmit={submit} noValidate aria-label={label}>
      {children}
      <div className="button-row">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? savingLabel : submitLabel}
        </button>
      </div>
      <OtherProblems problems={other} />
    </form>
  );
}
