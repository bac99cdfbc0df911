import type { Problem } from "../api/problems";
import { ProblemLine } from "./error-message";

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
        <ProblemLine key={index} problem={server} />
      ))}
    </div>
  );
}
