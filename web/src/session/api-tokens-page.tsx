import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { ApiTokensDocument, RevokeApiTokenDocument, type ApiTokenRowFragment } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { TableSkeleton } from "../ui/skeleton";
import { CreateApiTokenForm } from "./create-api-token-form";
import { useSession } from "./session-context";

export default function ApiTokensPage() {
  useDocumentTitle("API tokens");
  const { data, loading, error } = useQuery(ApiTokensDocument);
  const tokens = data?.me?.apiTokens ?? [];
  return (
    <>
      <PageHeader title="API tokens" />
      <p className="lead">
        A token signs in this dashboard and any script or client of the GraphQL API (
        <code>Authorization: Bearer &lt;token&gt;</code>). Revoking one stops it everywhere at once.
      </p>
      <CreateApiTokenForm />
      <h2>Your tokens</h2>
      <ErrorMessage error={error} />
      {loading && !data ? (
        <TableSkeleton columns={5} label="Loading tokens" />
      ) : tokens.length === 0 ? (
        <EmptyState title="No tokens yet">Create one above to use the API from a script.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">State and actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <TokenRow key={token.id} token={token} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function TokenRow({ token }: { token: ApiTokenRowFragment }) {
  const session = useSession();
  // Asked of the server: TESSERA_ADMIN_TOKEN and older tokens do not begin with their prefix.
  const inUse = token.current;
  const [confirming, setConfirming] = useState(false);
  const [revoke, { loading, error }] = useMutation(RevokeApiTokenDocument, {
    variables: { id: token.id },
    refetchQueries: [ApiTokensDocument],
  });
  const onRevoke = async () => {
    const result = await revoke().catch(() => null);
    setConfirming(false);
    if (result?.data?.revokeApiToken && inUse)
      session.signOut("You revoked the token this browser was using.");
  };
  return (
    <tr>
      <th scope="row">
        {token.name}
        {inUse && <span className="badge badge-neutral">this browser</span>}
      </th>
      <td>
        <code>{token.prefix}…</code>
      </td>
      <td>{formatDateTime(token.createdAt)}</td>
      <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "never"}</td>
      <td className="actions">
        {token.revokedAt ? (
          <span className="badge badge-bad">Revoked {formatDateTime(token.revokedAt)}</span>
        ) : confirming ? (
          <>
            <button type="button" className="danger" disabled={loading} onClick={onRevoke}>
              {inUse ? "Revoke and sign out" : "Revoke now"}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Revoke ${token.name}`}>
            Revoke
          </button>
        )}
        <ErrorMessage error={error} />
      </td>
    </tr>
  );
}
