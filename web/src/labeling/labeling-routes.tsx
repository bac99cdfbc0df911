import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import "./labeling.css";

const LabelingPage = lazy(() => import("./labeling-page"));
const NewBatchPage = lazy(() => import("./new-batch-page"));
const BatchPage = lazy(() => import("./batch-page"));

/** Everything under /labeling: your batches, a new one, and each batch's queue. */
export default function LabelingRoutes() {
  return (
    <Routes>
      <Route index element={<LabelingPage />} />
      <Route path="new" element={<NewBatchPage />} />
      <Route path="batches/:batchId" element={<BatchPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
