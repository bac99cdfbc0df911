import { problemsOf, type Problem } from "../api/problems";

export interface ErrorMessageProps {
  /** Whatever the operation failed with; its problems are read with `problemsOf`. */
  error?: unknown;
  /** Only the problems the server tied to this input (`extensions.field`). */
  field?: string;
  /** Leave out the problems tied to these inputs: they are shown next to their own fields. */
  exceptFields?: string[];
  /** Referenced by the input's `aria-describedby`. */
  id?: string;
}

/**
 * The server's words next to what caused them: each problem's `extensions.code` and message.
 * Announced to screen readers as it appears.
 */
export function ErrorMessage({ error, field, exceptFields = [], id }: ErrorMessageProps) {
  const problems = problemsOf(error).filter((problem) =>
    field === undefined ? !exceptFields.includes(problem.field ?? "") : problem.field === field,
  );
  if (problems.length === 0) return null;
  return (
    <div className="error-message" role="alert" id={id}>
      {problems.map((problem, index) => (
        <ProblemLine key={index} problem={problem} />
      ))}
    </div>
  );
}

/** One problem: its code, then the server's words. */
export function ProblemLine({ problem }: { problem: Problem }) {
  return (
    <p>
      <span className="error-code">{problem.code}</span> {problem.message}
    </p>
  );
}
