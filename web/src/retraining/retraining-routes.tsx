import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
// The create form is made of the start-training form's sections, styled there.
import "../training/training.css";
import "./retraining.css";

const PolicyListPage = lazy(() => import("./policy-list-page"));
const CreatePolicyPage = lazy(() => import("./create-policy-page"));
const PolicyPage = lazy(() => import("./policy-page"));

/** Everything under /retraining: the policies, the create form, and one page per policy. */
export default function RetrainingRoutes() {
  return (
    <Routes>
      <Route index element={<PolicyListPage />} />
      <Route path="new" element={<CreatePolicyPage />} />
      <Route path="policies/:policyId" element={<PolicyPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
