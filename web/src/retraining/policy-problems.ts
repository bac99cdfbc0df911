import { problemsOf, type Problem } from "../api/problems";
import type { FieldMessages, ServerProblems } from "../training/field-messages";
import { defaultTrainingForm } from "../training/training-form";
import { TEMPLATE } from "./policy-form";

/** The policy's own inputs in the server's naming; the template's are `trainingTemplate.<option>`. */
const POLICY_FIELDS = ["modelId", "datasetId", "name", "triggers", "cooldown", "promote"];
const TEMPLATE_FIELDS = new Set(Object.keys(defaultTrainingForm()));

/** A field path at the start of a message: `triggers.schedule: …`, `trainingTemplate.epochs must …`. */
const FIELD_AT_START = /^((?:input\.)?[A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+(?:\[\d+\])?)*)[\s:]/;

/** Where one of the server's field names lands on the form, or null when it names none of it. */
export function policyFieldOf(name: string): string | null {
  const path = name.replace(/^input\./, "");
  const base = path.replace(/[[.].*$/, "");
  if (POLICY_FIELDS.includes(base)) return path;
  if (path.startsWith(TEMPLATE)) return path;
  // A template option checked by the training rules may come back under its own name.
  if (TEMPLATE_FIELDS.has(base)) return `${TEMPLATE}${path}`;
  return null;
}

function fieldOf(problem: Problem): string | null {
  if (problem.field) return policyFieldOf(problem.field);
  // A model the viewer may not change, or one that vanished, is the model field's problem.
  if (problem.code === "FORBIDDEN" || (problem.code === "NOT_FOUND" && problem.message.startsWith("Model")))
    return "modelId";
  if (problem.code === "NOT_FOUND" && problem.message.startsWith("Dataset")) return "datasetId";
  const named = FIELD_AT_START.exec(problem.message)?.[1];
  return named ? policyFieldOf(named) : null;
}

/** The server's problems by the form field they concern; the rest for the footer. */
export function policyServerProblems(error: unknown): ServerProblems {
  const result: ServerProblems = { byField: {}, other: [] };
  for (const problem of problemsOf(error)) {
    const field = fieldOf(problem);
    if (field) (result.byField[field] ??= []).push(problem);
    else result.other.push(problem);
  }
  return result;
}

/** The template's messages under the option names the training form's sections read. */
export function templateMessages(messages: FieldMessages): FieldMessages {
  return Object.fromEntries(
    Object.entries(messages)
      .filter(([field]) => field.startsWith(TEMPLATE))
      .map(([field, message]) => [field.slice(TEMPLATE.length), message]),
  );
}
