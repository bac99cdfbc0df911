import type { Problem } from "../api/problems";

/**
 * By a checked form's submit button: how many fields need a change before `the {subject}
 * {outcome}`, and what the server refused, by field or not.
 */
export function FormProblems({
  subject,
  outcome,
  problemCount,
  serverFieldProblemCount,
  otherProblems,
}: {
  /** "job", "policy". */
  subject: string;
  /** "can start", "can be created". */
  outcome: string;
  problemCount: number;
  serverFieldProblemCount: number;
  otherProblems: Problem[];
}) {
  return (
    <>
      {problemCount > 0 && (
        <p className="error-message" role="alert">
          {problemCount === 1 ? "One field needs" : `${problemCount} fields need`} a change before the{" "}
          {subject} {outcome}; each says what it expects.
        </p>
      )}
      {serverFieldProblemCount > 0 && (
        <p className="error-message" role="alert">
          The server refused the {subject}:{" "}
          {serverFieldProblemCount === 1 ? "its reason is" : "its reasons are"} shown next to the{" "}
          {serverFieldProblemCount === 1 ? "field" : "fields"} concerned.
        </p>
      )}
      {otherProblems.length > 0 && (
        <div className="error-message" role="alert">
          {otherProblems.map((problem, index) => (
            <p key={index}>
              <span className="error-code">{problem.code}</span> {problem.message}
            </p>
          ))}
        </div>
      )}
    </>
  );
}
