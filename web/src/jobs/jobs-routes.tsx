import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import "./jobs.css";

const JobsPage = lazy(() => import("./jobs-page"));

/** Everything under /jobs: one list of every kind; each job's own page is its kind's (training, dataset version). */
export default function JobsRoutes() {
  return (
    <Routes>
      <Route index element={<JobsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
