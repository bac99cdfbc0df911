import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import "./training.css";

const TrainingJobsPage = lazy(() => import("./training-jobs-page"));
const StartTrainingPage = lazy(() => import("./start-training-page"));
const TrainingJobPage = lazy(() => import("./training-job-page"));
const ComparePage = lazy(() => import("./compare/compare-page"));

/** Everything under /training: the job list, the start form, one page per job, and comparisons. */
export default function TrainingRoutes() {
  return (
    <Routes>
      <Route index element={<TrainingJobsPage />} />
      <Route path="new" element={<StartTrainingPage />} />
      <Route path="jobs/:jobId" element={<TrainingJobPage />} />
      <Route path="compare" element={<ComparePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
