import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import "./predictions.css";

const PredictionsPage = lazy(() => import("./predictions-page"));

/** Everything under /predictions: a model version's log, named as the registry names the version. */
export default function PredictionsRoutes() {
  return (
    <Routes>
      <Route path=":owner/:slug/:version" element={<PredictionsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
