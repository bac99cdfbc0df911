import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { lazy } from "react";
import { AppShell } from "./layout/app-shell";
import { NotFoundPage } from "./layout/not-found-page";
import { sections } from "./sections";
import { RequireSession } from "./session/require-session";
import { SessionProvider } from "./session/session-context";
import { SignInPage } from "./session/sign-in-page";

const ApiTokensPage = lazy(() => import("./session/api-tokens-page"));
// A model version's prediction log: linked from the version's page, not an area of the navigation.
const PredictionsRoutes = lazy(() => import("./predictions/predictions-routes"));

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route
            element={
              <RequireSession>
                <AppShell />
              </RequireSession>
            }
          >
            <Route index element={<Navigate to={sections[0]?.path ?? "settings/tokens"} replace />} />
            {sections.map(({ path, component: Section }) => (
              <Route key={path} path={`${path}/*`} element={<Section />} />
            ))}
            <Route path="settings/tokens" element={<ApiTokensPage />} />
            <Route path="predictions/*" element={<PredictionsRoutes />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
