import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import PairsPage from "./pairs-page";
import "./pairs.css";

/** Everything under /pairs: the collected training pairs, filtered through the query string. */
export default function PairsRoutes() {
  return (
    <Routes>
      <Route index element={<PairsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
