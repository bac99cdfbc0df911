import { useId, useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import type { Problem } from "../api/problems";
import { useDocumentTitle } from "../layout/use-document-title";
import { useSession } from "./session-context";
import { normaliseToken } from "./token-store";
import { verifyToken } from "./verify-token";

/** Where to go after signing in: only paths inside this app, never another origin. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInPage() {
  useDocumentTitle("Sign in");
  const { token, notice, signIn } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [checking, setChecking] = useState(false);
  const inputId = useId();
  const errorId = useId();
  const next = safeNext(params.get("next"));

  if (token && !checking) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const normalised = normaliseToken(value);
    if (normalised.problem !== undefined) {
      setProblem({ code: "BAD_USER_INPUT", message: normalised.problem });
      return;
    }
    setChecking(true);
    setProblem(null);
    const check = await verifyToken(normalised.token);
    if (check.problem) {
      setChecking(false);
      setProblem(check.problem);
      return;
    }
    signIn(normalised.token);
    navigate(next, { replace: true });
  };

  return (
    <main className="sign-in" id="main">
      <form className="sign-in-card" onSubmit={submit} noValidate>
        <h1>Sign in to Tessera</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <p>
          Paste an API token. The first start of the gateway prints the admin&apos;s token; anyone signed in
          can create more from their user menu.
        </p>
        <div className="field">
          <label htmlFor={inputId}>API token</label>
          <input
            id={inputId}
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
            autoFocus
          />
          {problem && (
            <div className="error-message" role="alert" id={errorId}>
              <p>
                <span className="error-code">{problem.code}</span> {problem.message}
              </p>
            </div>
          )}
        </div>
        <button type="submit" className="primary" disabled={checking}>
          {checking ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
