import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import "./reconstructions.css";

const ReconstructionListPage = lazy(() => import("./reconstruction-list-page"));
const NewReconstructionPage = lazy(() => import("./new-reconstruction-page"));
const ReconstructionPage = lazy(() => import("./reconstruction-page"));

/** Everything under /reconstructions, addressed by the job's id. */
export default function ReconstructionsRoutes() {
  return (
    <Routes>
      <Route index element={<ReconstructionListPage />} />
      <Route path="new" element={<NewReconstructionPage />} />
      <Route path=":reconstructionId" element={<ReconstructionPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
