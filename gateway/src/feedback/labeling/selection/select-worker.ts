import { answerInWorker } from "../../../threads/pure-worker";
import { selectBatch, type BatchSelection, type Pick } from "./select-batch";

answerInWorker<BatchSelection, Pick[]>(selectBatch);
