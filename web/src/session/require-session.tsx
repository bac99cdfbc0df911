import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useSession } from "./session-context";

/** Sends a signed-out visitor to the sign-in page, which brings them back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const location = useLocation();
  if (!token) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return children;
}
