import { answerInWorker } from "../../threads/pure-worker";
import type { DriftRequest } from "./drift-in-worker";
import { testForDrift, type DriftMeasurement } from "./drift-test";

answerInWorker<DriftRequest, DriftMeasurement>(({ recent, reference, settings }) =>
  testForDrift(recent, reference, settings),
);
