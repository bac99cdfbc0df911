import { answerInWorker } from "../../threads/pure-worker";
import { fitAdjustment, type FittedAdjustment } from "../adjustments/fit-adjustment";
import type { FitRequest } from "./fit-in-worker";

answerInWorker<FitRequest, FittedAdjustment>(
  ({ data, options }) => fitAdjustment(data, options),
  (fitted) => [fitted.parameters.buffer as ArrayBuffer],
);
