import type { Tensor } from "./model-runner";
import type { SessionMetadata } from "./model-signature";

/** Messages between a SessionPool and its session workers (structured clone, buffers transferred). */

export interface SessionWorkerData {
  modelPath: string;
  /** onnxruntime provider names in order of preference, ending with "cpu". */
  executionProviders: string[];
  intraOpThreads: number;
}

export type SessionWorkerStartup =
  | {
      type: "ready";
      metadata: SessionMetadata;
      /** The providers the session was created with after falling back. */
      providers: string[];
      /** One line per provider that could not be used, with onnxruntime's reason. */
      fallbacks: string[];
    }
  | { type: "failed"; reason: string };

export interface SessionRunRequest {
  type: "run";
  id: number;
  feeds: Record<string, Tensor>;
  fetches: string[];
}

/** Nanoseconds spent in the worker, for ModelStatistics' compute_* durations. */
export interface SessionRunTimings {
  inputNs: number;
  inferNs: number;
  outputNs: number;
}

export type SessionRunReply =
  | {
      type: "result";
      id: number;
      outputs: Record<string, Tensor>;
      timings: SessionRunTimings;
      /** The request's input buffers, transferred back for the next batch to reuse. */
      inputBuffers: ArrayBuffer[];
    }
  | { type: "error"; id: number; reason: string };
