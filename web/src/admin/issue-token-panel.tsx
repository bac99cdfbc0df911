import { useMutation } from "@apollo/client/react";
import { useId, useState, type FormEvent } from "react";
import { AdminIssueTokenDocument, type AdminUserRowFragment } from "../gql/graphql";
import { OneTimeSecret } from "../session/one-time-secret";
import { ErrorMessage } from "../ui/error-message";

/** Issues a token to another user and shows its secret this once, for the admin to hand over. */
export function IssueTokenPanel({ user, onClose }: { user: AdminUserRowFragment; onClose(): void }) {
  const id = useId();
  const [name, setName] = useState("first sign-in");
  const [secret, setSecret] = useState<string | null>(null);
  const [issue, { loading, error }] = useMutation(AdminIssueTokenDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await issue({ variables: { name: name.trim(), userId: user.id } }).catch(() => null);
    if (result?.data) setSecret(result.data.createApiToken.secret);
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Issue a token to {user.handle}</h2>
      {secret ? (
        <OneTimeSecret
          label={`Token for ${user.handle}`}
          secret={secret}
          warning={
            `Shown only this once: copy it now and give it to ${user.handle} privately. ` +
            "The server keeps only a hash of it, so no one can show it again."
          }
        />
      ) : (
        <form className="inline-form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-name`}>Token name</label>
            <input
              id={`${id}-name`}
              value={name}
              onChange={(event) => setName(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
            />
            <p className="hint" id={`${id}-hint`}>
              Tells this token apart in {user.handle}&apos;s list, e.g. &ldquo;laptop&rdquo;
            </p>
          </div>
          <button type="submit" className="primary" disabled={loading || name.trim() === ""}>
            {loading ? "Issuing…" : "Issue token"}
          </button>
        </form>
      )}
      <ErrorMessage error={error} id={`${id}-error`} />
      <div className="button-row">
        <button type="button" onClick={onClose}>
          {secret ? "Done" : "Not now"}
        </button>
      </div>
    </section>
  );
}
