import type { Problem } from "../api/problems";
import { serverProblems } from "../training/field-messages";

/** A problem found before sending, announced where it applies. */
export function FormProblem({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="field-problem" role="alert">
      {message}
    </p>
  );
}

/** What one input shows: the form's own check (before sending) and the server's problems with it. */
export interface FieldProblem {
  client?: string;
  server?: readonly Problem[];
}

export const hasProblem = (problem: FieldProblem | undefined): boolean =>
  Boolean(problem?.client) || (problem?.server?.length ?? 0) > 0;

/** The input's `aria-describedby`: its hint, and its problem while it has one. */
export function describedBy(
  id: string,
  hint: boolean,
  problem: FieldProblem | undefined,
): string | undefined {
  return (
    [hint ? `${id}-hint` : "", hasProblem(problem) ? `${id}-error` : ""].filter(Boolean).join(" ") ||
    undefined
  );
}

/** The problem under an input, with the id its `aria-describedby` names; the server's with their codes. */
export function FieldProblemText({ id, problem }: { id: string; problem: FieldProblem | undefined }) {
  if (!problem || !hasProblem(problem)) return null;
  return (
    <div className="error-message" role="alert" id={`${id}-error`}>
      {problem.client && <p>{problem.client}</p>}
      {problem.server?.map((server, index) => (
        <p key={index}>
          <span className="error-code">{server.code}</span> {server.message}
        </p>
      ))}
    </div>
  );
}

/** The problems no input took, shown by the submit button. */
export function OtherProblems({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="error-message" role="alert">
      {problems.map((problem, index) => (
        <p key={index}>
          <span className="error-code">{problem.code}</span> {problem.message}
        </p>
      ))}
    </div>
  );
}

export interface PlacedProblems {
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
