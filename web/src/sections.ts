import { lazy, type ComponentType, type LazyExoticComponent } from "react";

/**
 * The dashboard's top-level areas, in navigation order. Each owns every URL under `/${path}/`
 * through its own <Routes>, and its code loads on the first visit. Adding an area is one entry
 * here plus its folder (e.g. `datasets/datasets-routes.tsx` exporting a default component).
 */
export interface Section {
  path: string;
  /** Its name in the navigation. */
  label: string;
  component: LazyExoticComponent<ComponentType>;
  /**
   * Where its entry sits: the top bar (the daily work), or the "Admin & data" menu: `data` for
   * everyone, `admin` for admins only (a member never sees that entry, and the page refuses them).
   * The bar holds seven areas, so it fits 1280 px; the rest are also linked from the pages they
   * serve (labelling from a dataset version's unlabeled pool, retraining from a model version).
   */
  place: "bar" | "data" | "admin";
}

export const sections: Section[] = [
  {
    path: "datasets",
    label: "Datasets",
    place: "bar",
    component: lazy(() => import("./datasets/datasets-routes")),
  },
  {
    path: "labeling",
    label: "Labelling",
    place: "data",
    component: lazy(() => import("./labeling/labeling-routes")),
  },
  { path: "models", label: "Models", place: "bar", component: lazy(() => import("./models/models-routes")) },
  {
    path: "training",
    label: "Training",
    place: "bar",
    component: lazy(() => import("./training/training-routes")),
  },
  {
    path: "retraining",
    label: "Retraining",
    place: "data",
    component: lazy(() => import("./retraining/retraining-routes")),
  },
  {
    path: "serving",
    label: "Serving",
    place: "data",
    component: lazy(() => import("./serving/serving-routes")),
  },
  { path: "jobs", label: "Jobs", place: "bar", component: lazy(() => import("./jobs/jobs-routes")) },
  {
    path: "playground",
    label: "Playground",
    place: "bar",
    component: lazy(() => import("./playground/playground-routes")),
  },
  { path: "scenes", label: "Scenes", place: "bar", component: lazy(() => import("./scenes/scenes-routes")) },
  {
    path: "reconstructions",
    label: "Reconstructions",
    place: "bar",
    component: lazy(() => import("./reconstructions/reconstructions-routes")),
  },
  {
    path: "pairs",
    label: "Collected pairs",
    place: "data",
    component: lazy(() => import("./pairs/pairs-routes")),
  },
  { path: "admin", label: "Users", place: "admin", component: lazy(() => import("./admin/admin-routes")) },
];
