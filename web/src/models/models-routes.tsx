import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";

const ModelRegistryPage = lazy(() => import("./model-registry-page"));
const UploadModelPage = lazy(() => import("./upload-model-page"));
const ModelPage = lazy(() => import("./model-page"));
const ModelVersionPage = lazy(() => import("./model-version-page"));

/** Everything under /models. `upload` is one segment, a model is always owner/slug: they cannot collide. */
export default function ModelsRoutes() {
  return (
    <Routes>
      <Route index element={<ModelRegistryPage />} />
      <Route path="upload" element={<UploadModelPage />} />
      <Route path=":owner/:slug" element={<ModelPage />} />
      <Route path=":owner/:slug/versions/:version" element={<ModelVersionPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
