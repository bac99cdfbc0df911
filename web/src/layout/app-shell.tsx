import { Suspense, useEffect, useRef } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { JobNotices } from "../jobs/job-notices";
import { UserMenu } from "../session/user-menu";
import { Skeleton } from "../ui/skeleton";
import { MainNavigation } from "./main-navigation";

/** Header with the main navigation and the user menu; pages render in <main>; notices of finished jobs above them. */
export function AppShell() {
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const firstRender = useRef(true);

  // After a client-side navigation, start keyboard and screen-reader users at the new page.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <NavLink to="/" className="brand">
          Tessera
        </NavLink>
        <MainNavigation />
        <UserMenu />
      </header>
      <main id="main" ref={main} tabIndex={-1} className="app-main">
        <Suspense fallback={<Skeleton lines={6} label="Loading page" />}>
          <Outlet />
        </Suspense>
      </main>
      <JobNotices />
    </div>
  );
}
