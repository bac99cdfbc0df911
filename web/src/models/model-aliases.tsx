import { useMutation } from "@apollo/client/react";
import { useId, useState, type FormEvent } from "react";
import {
  ModelDetailDocument,
  RemoveModelAliasDocument,
  SetModelAliasDocument,
  type ModelDetailQuery,
} from "../gql/graphql";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";

type Model = NonNullable<ModelDetailQuery["model"]>;

/** Named pointers such as `production → v3`: moving one moves any deployment that follows it. */
export function ModelAliases({ model }: { model: Model }) {
  const id = useId();
  const [alias, setAlias] = useState("");
  const [versionId, setVersionId] = useState(model.versions[0]?.id ?? "");
  const [setModelAlias, setting] = useMutation(SetModelAliasDocument);
  const [removeModelAlias, removing] = useMutation(RemoveModelAliasDocument, {
    refetchQueries: [ModelDetailDocument],
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await setModelAlias({
      variables: { modelId: model.id, alias: alias.trim(), versionId },
    }).catch(() => null);
    if (result?.data) setAlias("");
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Aliases</h2>
      {model.aliases.length === 0 ? (
        <EmptyState title="No aliases">
          Point an alias such as <code>production</code> at a version; clients and deployments can follow it.
        </EmptyState>
      ) : (
        <ul className="alias-list">
          {model.aliases.map((entry) => (
            <li key={entry.alias}>
              <span className="chip chip-alias">
                {entry.alias} → {entry.version.version}
              </span>
              <span className="muted">moved {formatDateTime(entry.updatedAt)}</span>
              <button
                type="button"
                disabled={removing.loading}
                aria-label={`Remove alias ${entry.alias}`}
                onClick={() =>
                  void removeModelAlias({ variables: { modelId: model.id, alias: entry.alias } }).catch(
                    () => null,
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={removing.error} />
      {model.versions.length > 0 && (
        <form className="inline-form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-alias`}>Alias</label>
            <input
              id={`${id}-alias`}
              value={alias}
              onChange={(event) => setAlias(event.target.value)}
              placeholder="production"
              required
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-version`}>Points at</label>
            <select
              id={`${id}-version`}
              value={versionId}
              onChange={(event) => setVersionId(event.target.value)}
            >
              {model.versions.map((version) => (
                <option key={version.id} value={version.id}>
                  {version.version}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={setting.loading || alias.trim() === ""}>
            Set alias
          </button>
          <ErrorMessage error={setting.error} />
        </form>
      )}
    </section>
  );
}
