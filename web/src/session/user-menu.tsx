import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { ViewerDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
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

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      } else if (event.type === "pointerdown" && !root.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener("keydown", close);
    document.addEventListener("pointerdown", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("pointerdown", close);
    };
  }, [open]);

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
            <Link to="/settings/tokens" onClick={() => setOpen(false)}>
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
