import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import {
  AdminDeactivateUserDocument,
  AdminReactivateUserDocument,
  Role,
  type AdminUserRowFragment,
} from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";

export interface UsersTableProps {
  users: AdminUserRowFragment[];
  /** The signed-in admin, who cannot deactivate themselves. */
  viewerId: string | null;
  onIssueToken(user: AdminUserRowFragment): void;
}

/** In creation order: who each user is, whether they can sign in, and what can be done about it. */
export function UsersTable({ users, viewerId, onIssueToken }: UsersTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Users, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <UserRow
              key={user.id}
              user={user}
              isViewer={user.id === viewerId}
              onIssueToken={() => onIssueToken(user)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserRow({
  user,
  isViewer,
  onIssueToken,
}: {
  user: AdminUserRowFragment;
  isViewer: boolean;
  onIssueToken(): void;
}) {
  const [confirming, setConfirming] = useState(false);
  // Both answer the user's row, which replaces this one in the cache.
  const [deactivate, deactivation] = useMutation(AdminDeactivateUserDocument, { variables: { id: user.id } });
  const [reactivate, reactivation] = useMutation(AdminReactivateUserDocument, { variables: { id: user.id } });
  const busy = deactivation.loading || reactivation.loading;

  return (
    <tr>
      <th scope="row">
        {user.handle}
        {isViewer && <span className="badge">you</span>}
        {user.displayName && <div className="muted">{user.displayName}</div>}
      </th>
      <td>{user.email ?? "—"}</td>
      <td>{user.role === Role.Admin ? "Admin" : "Member"}</td>
      <td>{formatDateTime(user.createdAt)}</td>
      <td>
        {user.active ? (
          <span className="badge badge-good">Active</span>
        ) : (
          <span className="badge badge-bad">Deactivated {formatDateTime(user.deactivatedAt)}</span>
        )}
      </td>
      <td className="actions">
        {user.active && (
          <button type="button" onClick={onIssueToken} aria-label={`Issue a token to ${user.handle}`}>
            Issue token
          </button>
        )}{" "}
        {!user.active ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => void reactivate().catch(() => null)}
            aria-label={`Reactivate ${user.handle}`}
          >
            Reactivate
          </button>
        ) : isViewer ? null : confirming ? (
          <>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() =>
                void deactivate().then(
                  () => setConfirming(false),
                  () => setConfirming(false),
                )
              }
            >
              Deactivate now
            </button>{" "}
            <button type="button" onClick={() => setConfirming(false)}>
              Keep active
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Deactivate ${user.handle}`}>
            Deactivate
          </button>
        )}
        <ErrorMessage error={deactivation.error ?? reactivation.error} />
      </td>
    </tr>
  );
}
