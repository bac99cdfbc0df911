import { answerInWorker } from "../../../threads/pure-worker";
import { projectVectors, type ProjectedMap, type ProjectionInput } from "./project-vectors";

answerInWorker<ProjectionInput, ProjectedMap>(projectVectors, (map) => [
  map.coordinates.buffer as ArrayBuffer,
]);
