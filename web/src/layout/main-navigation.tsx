import { useQuery } from "@apollo/client/react";
import { useCallback, useId, useRef, useState, type MouseEvent } from "react";
import { NavLink, useLocation } from "react-router";
import { GRAPHQL_PATH } from "../api/apollo-client";
import { Role, ViewerDocument } from "../gql/graphql";
import { sections, type Section } from "../sections";
import { useDismiss } from "../ui/use-dismiss";

/**
 * The areas of the daily work in the bar; labelling, retraining, collected pairs (and, for
 * admins, users) in the "Admin & data" menu; the GraphQL IDE in a new tab. On a narrow screen the
 * whole list folds behind one Menu button (the CSS shows the button and hides the list below 1240 px).
 */
export function MainNavigation() {
  const { data } = useQuery(ViewerDocument);
  const isAdmin = data?.me?.role === Role.Admin;
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const navId = useId();
  useDismiss(open, close, root, toggle);

  // Following any link in the folded list is done with it.
  const closeOnLink = (event: MouseEvent) => {
    if ((event.target as Element).closest("a")) close();
  };
  const menuSections = sections.filter(
    (section) => section.place === "data" || (section.place === "admin" && isAdmin),
  );

  return (
    <div className="main-nav-root" ref={root}>
      <button
        ref={toggle}
        type="button"
        className="nav-toggle"
        aria-expanded={open}
        aria-controls={navId}
        onClick={() => setOpen((value) => !value)}
      >
        Menu
      </button>
      <nav
        id={navId}
        aria-label="Main"
        className={open ? "main-nav main-nav-open" : "main-nav"}
        onClick={closeOnLink}
      >
        <ul>
          {sections
            .filter((section) => section.place === "bar")
            .map((section) => (
              <li key={section.path}>
                <NavLink to={`/${section.path}`}>{section.label}</NavLink>
              </li>
            ))}
          <li>
            <AdminDataMenu sections={menuSections} label={isAdmin ? "Admin & data" : "Data"} />
          </li>
          <li>
            <a href={GRAPHQL_PATH} target="_blank" rel="noreferrer">
              GraphQL IDE<span aria-hidden="true"> ↗</span>
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </li>
        </ul>
      </nav>
    </div>
  );
}

/** A disclosure of the areas that are not daily work; the button is marked while one of them is open. */
function AdminDataMenu({ sections: entries, label }: { sections: Section[]; label: string }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const { pathname } = useLocation();
  useDismiss(open, close, root, button);
  const current = entries.some((section) => pathname.startsWith(`/${section.path}`));

  return (
    <div className="nav-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className={current ? "nav-menu-button nav-menu-current" : "nav-menu-button"}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        {label}
        <span aria-hidden="true"> ▾</span>
      </button>
      <ul id={panelId} className="nav-menu-panel" hidden={!open}>
        {entries.map((section) => (
          <li key={section.path}>
            <NavLink to={`/${section.path}`} onClick={close}>
              {section.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </div>
  );
}
