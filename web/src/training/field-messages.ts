import { problemsOf, type Problem } from "../api/problems";
import type { FormErrors } from "./training-form-validation";

/** What is shown under one field: the server's problem (with its code) or the form's own check. */
export interface FieldMessage {
  code: string | null;
  text: string;
}

export type FieldMessages = Record<string, FieldMessage>;

export interface ServerProblems {
  /** By the field the problem concerns, in the server's naming (`hpSpace[1]`, `classWeights[0].weight`). */
  byField: Record<string, Problem[]>;
  /** Problems tied to no field of the form, shown by the submit button. */
  other: Problem[];
}

const FIELD_AT_START = /^([A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+)?)[\s:]/;

/**
 * The server's problems by field. Most carry `extensions.field`; a few name the field only in
 * words: NOT_FOUND for a dataset or model version that vanished, FORBIDDEN for another user's
 * target slug (whose message starts with the field's name).
 */
export function serverProblems(error: unknown, fields: readonly string[]): ServerProblems {
  const result: ServerProblems = { byField: {}, other: [] };
  for (const problem of problemsOf(error)) {
    const field = problem.field ?? fieldNamedIn(problem, fields);
    if (field) (result.byField[field] ??= []).push(problem);
    else result.other.push(problem);
  }
  return result;
}

function fieldNamedIn(problem: Problem, fields: readonly string[]): string | null {
  if (problem.code === "NOT_FOUND") {
    if (problem.message.startsWith("Dataset version")) return "datasetVersionId";
    if (problem.message.startsWith("Model version")) return "baseModelVersionId";
  }
  const named = FIELD_AT_START.exec(problem.message)?.[1];
  if (!named) return null;
  const base = named.replace(/[[.].*$/, "");
  return fields.includes(base) ? named : null;
}

/** Drops the server's problems about these fields and the rows under them: the person changed them. */
export function withoutFields(problems: ServerProblems, changed: readonly string[]): ServerProblems {
  const byField = Object.fromEntries(
    Object.entries(problems.byField).filter(
      ([field]) =>
        !changed.some(
          (name) => field === name || field.startsWith(`${name}[`) || field.startsWith(`${name}.`),
        ),
    ),
  );
  return { byField, other: problems.other };
}

/**
 * What each field shows: the server's word where it spoke (until the field is changed), else the
 * form's own check once the field was touched or a submit was tried.
 */
export function fieldMessages(
  errors: FormErrors,
  server: ServerProblems,
  touched: ReadonlySet<string>,
  submitted: boolean,
): FieldMessages {
  const messages: FieldMessages = {};
  for (const [field, text] of Object.entries(errors)) {
    const base = field.replace(/[[.].*$/, "");
    if (submitted || touched.has(field) || touched.has(base)) messages[field] = { code: null, text };
  }
  for (const [field, problems] of Object.entries(server.byField)) {
    const text = problems.map((problem) => problem.message).join(" ");
    messages[field] = { code: problems[0]?.code ?? null, text };
  }
  return messages;
}
