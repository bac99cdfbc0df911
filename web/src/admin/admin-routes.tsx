import { useQuery } from "@apollo/client/react";
import { Route, Routes } from "react-router";
import { Role, ViewerDocument } from "../gql/graphql";
import { NotFoundPage } from "../layout/not-found-page";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import UsersPage from "./users-page";

/**
 * Everything under /admin, for admins only. Members never see the entry in the navigation; one who
 * opens the address is told plainly instead of meeting the API's FORBIDDEN on every part.
 */
export default function AdminRoutes() {
  const { data, loading, error } = useQuery(ViewerDocument);
  if (loading && !data) return <Skeleton lines={4} label="Loading" />;
  if (data?.me?.role !== Role.Admin) return <AdminsOnly error={error} />;
  return (
    <Routes>
      <Route index element={<UsersPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function AdminsOnly({ error }: { error: unknown }) {
  useDocumentTitle("Admins only");
  return (
    <>
      <PageHeader title="Users" />
      <ErrorMessage error={error} />
      <EmptyState title="Admins only">
        This page manages every user&apos;s account and tokens, so only admins can open it. Ask an admin to
        create a user or issue a token; your own tokens are under API tokens in your user menu.
      </EmptyState>
    </>
  );
}
