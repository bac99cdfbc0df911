import { useQuery } from "@apollo/client/react";
import { useCallback, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { ViewerDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { useDismiss } from "../ui/use-dismiss";
import { useSession } from "./session-context";

/**
 * A disclosure (button + panel of ordinary links and buttons) rather than an ARIA menu: Tab and
 * Enter work as everywhere else, Escape closes it and returns focus to the button.
 */
export function UserMenu() {
  const { signOut } = useSession();
  const { data, error } = useQuery(ViewerDocument);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => setOpen(false), []);

  useDismiss(open, close, root, button);

  if (error) return <ErrorMessage error={error} />;
  const viewer = data?.me;
  return (
    <div className="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="visually-hidden">User menu for </span>
        {viewer ? (viewer.displayName ?? viewer.handle) : "…"}
      </button>
      <div id={panelId} className="user-menu-panel" hidden={!open}>
        {viewer && (
          <p className="user-menu-who">
            Signed in as <strong>{viewer.handle}</strong> ({viewer.role.toLowerCase()})
          </p>
        )}
        <ul>
          <li>
            <Link to="/settings/tokens" onClick={close}>
              API tokens
            </Link>
          </li>
          <li>
            <button type="button" onClick={() => signOut()}>
              Sign out
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}
