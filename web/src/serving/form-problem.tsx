import type { Problem } from "../api/problems";
import { ProblemLine } from "../ui/error-message";
import { serverProblems } from "../training/field-messages";

/** The problems no input took, shown by the submit button. */
export function OtherProblems({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="error-message" role="alert">
      {problems.map((problem, index) => (
        <ProblemLine key={index} problem={problem} />
      ))}
    </div>
  );
}

interface PlacedProblems {
  /** By the place in the form that shows them (a key the form chose). */
  at: Record<string, Problem[]>;
  other: Problem[];
}

/**
 * The server's problems by where the form shows them. `placeOf` turns the server's field name
 * (`members[1].weight`, `rateLimit.perMinute`, `labels[3]`) into the form's key, or null for none;
 * fields named only at the start of a message are found as the training form finds them.
 */
export function placeProblems(
  error: unknown,
  fields: readonly string[],
  placeOf: (field: string) => string | null,
): PlacedProblems {
  const found = serverProblems(error, fields);
  const placed: PlacedProblems = { at: {}, other: [...found.other] };
  for (const [field, problems] of Object.entries(found.byField)) {
    const place = placeOf(field);
    if (place) (placed.at[place] ??= []).push(...problems);
    else placed.other.push(...problems);
  }
  return placed;
}

/** The form field a server field falls under: itself or the first of `fields` it starts with. */
export function byPrefix(fields: readonly string[]) {
  return (field: string): string | null =>
    fields.find((name) => field === name || field.startsWith(`${name}[`) || field.startsWith(`${name}.`)) ??
    null;
}
