import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { applyEvent, initialState } from "../../../src/training/cli/progress-state";
import { createOutput } from "../../../src/training/cli/train-output";
import { finishedJob, metricsEvent, progressEvent, startedJob } from "./fixtures";

function streams(tty: boolean) {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty, columns: 100 });
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    return () => Buffer.concat(chunks).toString();
  };
  return { stdout, stderr, out: read(stdout), err: read(stderr) };
}

/** Feeds the same events to an output: started, training progress, one epoch's metrics, the end. */
function play(output: ReturnType<typeof createOutput>) {
  const job = startedJob();
  let state = initialState(job);
  output.started(job, "http://127.0.0.1:4000");
  for (const event of [
    progressEvent({ phase: "TRAINING", epoch: 1, progress: 0.05 }),
    metricsEvent(1, { loss: 0.5, accuracy: 0.75 }),
  ]) {
    const before = state;
    state = applyEvent(before, event, 0);
    output.event(before, event, state, 0);
  }
  output.finished(finishedJob({ status: "FAILED", error: "The loss became NaN" }), 4);
}

describe("where the CLI's output goes", () => {
  it("redraws one progress line on a terminal and prints epoch lines above it", () => {
    const io = streams(true);
    play(createOutput(io, false));
    const bar = "epoch 1/10  [█░░░░░░░░░░░░░░░░░░░]   5%  ETA --";
    expect(io.out()).toBe(
      "Started training job 5f0c2d9e-0000-4000-8000-000000000001 on http://127.0.0.1:4000: 2 classes, up to 10 epochs, result → texture-classifier\n" +
        `\r\x1b[2K${bar}` +
        "\r\x1b[2Kepoch 1/10  loss 0.5000  acc 0.7500\n" +
        `\r\x1b[2Kepoch 1/10  [█░░░░░░░░░░░░░░░░░░░]   5%  loss 0.5000  acc 0.7500  ETA --` +
        "\r\x1b[2KTraining failed after 4s: The loss became NaN\n",
    );
  });

  it("writes plain lines, phases included, when stdout is not a terminal", () => {
    const io = streams(false);
    play(createOutput(io, false));
    expect(io.out().split("\n").slice(1)).toEqual([
      "queued, waiting for a worker",
      "training",
      "epoch 1/10  loss 0.5000  acc 0.7500",
      "Training failed after 4s: The loss became NaN",
      "",
    ]);
  });

  it("writes one JSON object per line with --json, and notes to stderr", () => {
    const io = streams(true);
    const output = createOutput(io, true);
    play(output);
    output.note("Cancelling job …");
    output.errors([{ code: "CONFLICT", message: "already finished" }]);
    const lines = io
      .out()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => Object.keys(line)[0])).toEqual([
      "started",
      "event",
      "event",
      "finished",
      "errors",
    ]);
    expect(lines[4]).toEqual({ errors: [{ code: "CONFLICT", message: "already finished" }] });
    expect(io.err()).toBe("Cancelling job …\n");
  });
});
