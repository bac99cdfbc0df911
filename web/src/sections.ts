import { lazy, type ComponentType, type LazyExoticComponent } from "react";

/**
 * The dashboard's top-level areas, in navigation order. Each owns every URL under `/${path}/`
 * through its own <Routes>, and its code loads on the first visit. Adding an area is one entry
 * here plus its folder (e.g. `datasets/datasets-routes.tsx` exporting a default component).
 */
export interface Section {
  path: string;
  /** Its name in the main navigation. */
  label: string;
  component: LazyExoticComponent<ComponentType>;
}

export const sections: Section[] = [
  { path: "datasets", label: "Datasets", component: lazy(() => import("./datasets/datasets-routes")) },
  { path: "models", label: "Models", component: lazy(() => import("./models/models-routes")) },
  { path: "training", label: "Training", component: lazy(() => import("./training/training-routes")) },
  {
    path: "playground",
    label: "Playground",
    component: lazy(() => import("./playground/playground-routes")),
  },
  { path: "pairs", label: "Pairs", component: lazy(() => import("./pairs/pairs-routes")) },
];
