import type { ScoreRecorder } from "../scoring";

/** One recorder for Scoring.useRecorder that hands each outcome to every one given, in order. */
export function everyRecorder(...recorders: ScoreRecorder[]): ScoreRecorder {
  return {
    record(versionId, outcome) {
      for (const recorder of recorders) recorder.record(versionId, outcome);
    },
  };
}
