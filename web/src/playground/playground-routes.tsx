import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import PlaygroundPage from "./playground-page";
import "./playground.css";

/** Everything under /playground: one page, its state in the query string. */
export default function PlaygroundRoutes() {
  return (
    <Routes>
      <Route index element={<PlaygroundPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
