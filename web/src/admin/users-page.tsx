import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { AdminUsersDocument, ViewerDocument, type AdminUserRowFragment } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Pager } from "../ui/pager";
import { TableSkeleton } from "../ui/skeleton";
import { CreateUserForm } from "./create-user-form";
import { IssueTokenPanel } from "./issue-token-panel";
import { UsersTable } from "./users-table";

const PAGE_SIZE = 20;

/** Every person's account: create one, give its owner a first token, switch it off and on. */
export default function UsersPage() {
  useDocumentTitle("Users");
  const [params, setParams] = useSearchParams();
  const after = params.get("after");
  // Cursors of the pages before this one, for Previous.
  const [previous, setPrevious] = useState<Array<string | null>>([]);
  const [tokenFor, setTokenFor] = useState<AdminUserRowFragment | null>(null);
  const viewer = useQuery(ViewerDocument).data?.me;
  const { data, loading, error } = useQuery(AdminUsersDocument, {
    variables: { first: PAGE_SIZE, after },
    fetchPolicy: "cache-and-network",
  });
  const users = data?.users;
  const edges = users?.edges ?? [];

  return (
    <>
      <PageHeader title="Users" />
      <p className="lead">
        A new user signs in with an API token, and only an admin can issue their first one: create the user,
        then issue a token and hand it over privately. Deactivating a user refuses their tokens from their
        next request on; what they own stays, and reactivating them makes their tokens work again.
      </p>
      <CreateUserForm onCreated={setTokenFor} />
      {tokenFor && <IssueTokenPanel key={tokenFor.id} user={tokenFor} onClose={() => setTokenFor(null)} />}
      <h2>Everyone</h2>
      <ErrorMessage error={error} />
      {loading && !data ? (
        <TableSkeleton columns={6} label="Loading users" />
      ) : (
        users && (
          <>
            <UsersTable
              users={edges.map((edge) => edge.node)}
              viewerId={viewer?.id ?? null}
              onIssueToken={setTokenFor}
            />
            <Pager
              label="Pages of users"
              pageSize={PAGE_SIZE}
              shown={edges.length}
              connection={users}
              after={after}
              previous={previous}
              onPreviousChange={setPrevious}
              goTo={(cursor) => setParams(cursor ? { after: cursor } : {})}
            />
          </>
        )
      )}
    </>
  );
}
