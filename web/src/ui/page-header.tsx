import type { ReactNode } from "react";
import { Link } from "react-router";

export interface Crumb {
  label: string;
  to: string;
}

/** The page's one h1, the trail that led here, and the page's main actions. */
export function PageHeader({
  title,
  crumbs = [],
  actions,
}: {
  title: ReactNode;
  crumbs?: Crumb[];
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      {crumbs.length > 0 && (
        <nav aria-label="Breadcrumb" className="breadcrumbs">
          <ol>
            {crumbs.map((crumb) => (
              <li key={crumb.to}>
                <Link to={crumb.to}>{crumb.label}</Link>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="page-header-row">
        <h1>{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
    </header>
  );
}
