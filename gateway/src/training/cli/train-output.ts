import type { GatewayError } from "./gateway-client";
import { eventLine, progressLine, QUEUED_LINE, startedLine } from "./progress-render";
import type { ProgressState } from "./progress-state";
import { summary } from "./summary-render";
import type { FinishedJob, StartedJob, TrainingEvent } from "./training-documents";

/** Where the CLI's output goes; a terminal gets the redrawn progress bar. */
export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
}

/** What the run tells its user, in whichever form the output takes. */
export interface TrainOutput {
  started(job: StartedJob, url: string): void;
  event(before: ProgressState, event: TrainingEvent, after: ProgressState, now: number): void;
  /** Time passed with no event: a terminal's ETA moves on. */
  tick(state: ProgressState, now: number): void;
  /** Something the user should know that is not a figure (cancelling, reconnecting…). */
  note(message: string): void;
  finished(job: FinishedJob, elapsedSeconds: number): void;
  errors(errors: GatewayError[]): void;
}

export function createOutput(streams: OutputStreams, json: boolean): TrainOutput {
  if (json) return new JsonOutput(streams);
  return streams.stdout.isTTY ? new TerminalOutput(streams) : new PlainOutput(streams);
}

/** Figures as lines, one for each epoch, trial and phase: for logs and pipes. */
class PlainOutput implements TrainOutput {
  /** Lines for phase changes, which a progress bar shows instead. */
  protected readonly phaseLines: boolean = true;

  constructor(protected readonly streams: OutputStreams) {}

  started(job: StartedJob, url: string): void {
    this.print(startedLine(job, url));
    // Later phase lines print changes only; this is where the job starts from.
    if (job.status === "QUEUED" && this.phaseLines) this.print(QUEUED_LINE);
  }

  event(before: ProgressState, event: TrainingEvent, _after: ProgressState, _now: number): void {
    const line = eventLine(before, event, this.phaseLines);
    if (line !== null) this.print(line);
  }

  tick(_state: ProgressState, _now: number): void {}

  note(message: string): void {
    this.print(message);
  }

  finished(job: FinishedJob, elapsedSeconds: number): void {
    this.print(summary(job, elapsedSeconds));
  }

  errors(errors: GatewayError[]): void {
    for (const error of errors) this.streams.stderr.write(`${error.code}: ${error.message}\n`);
  }

  protected print(text: string): void {
    this.streams.stdout.write(`${text}\n`);
  }
}

/**
 * A progress bar redrawn in place on the last line, with epoch and trial lines printed above it.
 * The bar is cut to the terminal's width: a line that wraps could not be redrawn.
 */
class TerminalOutput extends PlainOutput {
  protected override readonly phaseLines = false;
  #bar = "";

  override event(before: ProgressState, event: TrainingEvent, after: ProgressState, now: number): void {
    const line = eventLine(before, event, this.phaseLines);
    if (line !== null) {
      this.#clearBar();
      super.print(line);
    }
    this.tick(after, now);
  }

  override tick(state: ProgressState, now: number): void {
    if (state.status !== "QUEUED" && state.status !== "RUNNING") return;
    this.#bar = progressLine(state, now, this.streams.stdout.columns || 80);
    this.streams.stdout.write(`\r\x1b[2K${this.#bar}`);
  }

  override finished(job: FinishedJob, elapsedSeconds: number): void {
    this.#clearBar();
    super.finished(job, elapsedSeconds);
  }

  override errors(errors: GatewayError[]): void {
    this.#clearBar();
    super.errors(errors);
  }

  protected override print(text: string): void {
    const bar = this.#bar;
    this.#clearBar();
    super.print(text);
    if (bar) {
      this.#bar = bar;
      this.streams.stdout.write(bar);
    }
  }

  #clearBar(): void {
    if (this.#bar) this.streams.stdout.write("\r\x1b[2K");
    this.#bar = "";
  }
}

/** One JSON object per line on stdout: { started }, { event } for each event, { finished }. */
class JsonOutput implements TrainOutput {
  constructor(private readonly streams: OutputStreams) {}

  started(job: StartedJob): void {
    this.#line({ started: job });
  }

  event(_before: ProgressState, event: TrainingEvent): void {
    this.#line({ event });
  }

  tick(): void {}

  note(message: string): void {
    this.streams.stderr.write(`${message}\n`);
  }

  finished(job: FinishedJob): void {
    this.#line({ finished: job });
  }

  errors(errors: GatewayError[]): void {
    this.#line({ errors });
  }

  #line(value: unknown): void {
    this.streams.stdout.write(`${JSON.stringify(value)}\n`);
  }
}
