import { useMutation } from "@apollo/client/react";
import { useId, useState, type FormEvent } from "react";
import { ApiTokensDocument, CreateApiTokenDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { OneTimeSecret } from "./one-time-secret";

/** Creates a token and shows its secret this once, ready to copy. */
export function CreateApiTokenForm() {
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const nameId = useId();
  const errorId = useId();
  const [create, { loading, error }] = useMutation(CreateApiTokenDocument, {
    refetchQueries: [ApiTokensDocument],
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create({ variables: { name: name.trim() } }).catch(() => null);
    if (result?.data) {
      setSecret(result.data.createApiToken.secret);
      setName("");
    }
  };

  return (
    <section className="panel" aria-labelledby={`${nameId}-title`}>
      <h2 id={`${nameId}-title`}>Create a token</h2>
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input
            id={nameId}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. training laptop"
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
        </div>
        <button type="submit" className="primary" disabled={loading || name.trim() === ""}>
          {loading ? "Creating…" : "Create token"}
        </button>
      </form>
      <ErrorMessage error={error} id={errorId} />
      {secret && (
        <OneTimeSecret
          key={secret}
          label="New token: copy it now, it is not shown again"
          secret={secret}
          warning="The server keeps only a hash of it: once you leave this page, no one can show it again."
        />
      )}
    </section>
  );
}
