import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import "./serving.css";

const ServingPage = lazy(() => import("./serving-page"));
const CreateEnsemblePage = lazy(() => import("./create-ensemble-page"));
const RegisterRemotePage = lazy(() => import("./register-remote-page"));

/** Everything under /serving: per-deployment analytics, and the forms that register gateway-served versions. */
export default function ServingRoutes() {
  return (
    <Routes>
      <Route index element={<ServingPage />} />
      <Route path="ensembles/new" element={<CreateEnsemblePage />} />
      <Route path="remote/new" element={<RegisterRemotePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
