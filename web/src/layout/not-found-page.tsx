import { Link, useLocation } from "react-router";
import { EmptyState } from "../ui/empty-state";
import { PageHeader } from "../ui/page-header";
import { useDocumentTitle } from "./use-document-title";

export function NotFoundPage() {
  const { pathname } = useLocation();
  useDocumentTitle("Not found");
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title={`Nothing lives at ${pathname}`} action={<Link to="/">Go to the start page</Link>} />
    </>
  );
}
