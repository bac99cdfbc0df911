/** A problem found before sending, announced where it applies. */
export function FormProblem({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="field-problem" role="alert">
      {message}
    </p>
  );
}
