import { lazy } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/not-found-page";
// Not lazy, unlike the other tabs: the map's first paint waits on a query of megabytes that starts
// only once this code runs, and a lazy tab first shows its fallback, which React replaces no sooner
// than 300 ms after the last fallback appeared (its Suspense throttle): measured, 100–250 ms more
// before the map's query leaves.
import EmbeddingMapTab from "./embedding-map-tab";
import "./datasets.css";
import "./sample-views.css";

export { datasetPath, versionPath } from "./dataset-paths";

const DatasetListPage = lazy(() => import("./dataset-list-page"));
const UploadDatasetPage = lazy(() => import("./upload-dataset-page"));
const DatasetPage = lazy(() => import("./dataset-page"));
const VersionLayout = lazy(() => import("./version-layout"));
const SamplesTab = lazy(() => import("./samples-tab"));
const QualityTab = lazy(() => import("./quality-tab"));
const SearchByImageTab = lazy(() => import("./search-by-image-tab"));
const VersionAboutTab = lazy(() => import("./version-about-tab"));

/** Everything under /datasets. Datasets are addressed by id (names are unique per owner only), versions by number. */
export default function DatasetsRoutes() {
  return (
    <Routes>
      <Route index element={<DatasetListPage />} />
      <Route path="upload" element={<UploadDatasetPage />} />
      <Route path=":datasetId" element={<DatasetPage />} />
      <Route path=":datasetId/versions/:number" element={<VersionLayout />}>
        <Route index element={<SamplesTab />} />
        <Route path="quality" element={<QualityTab />} />
        <Route path="map" element={<EmbeddingMapTab />} />
        <Route path="search" element={<SearchByImageTab />} />
        <Route path="about" element={<VersionAboutTab />} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
