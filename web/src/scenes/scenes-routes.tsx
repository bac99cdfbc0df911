import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
import "./scenes.css";

const SceneListPage = lazy(() => import("./scene-list-page"));
const UploadScenePage = lazy(() => import("./upload-scene-page"));
const ScenePage = lazy(() => import("./scene-page"));

/** Everything under /scenes: posed captures, addressed by id. */
export default function ScenesRoutes() {
  return (
    <Routes>
      <Route index element={<SceneListPage />} />
      <Route path="upload" element={<UploadScenePage />} />
      <Route path=":sceneId" element={<ScenePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
