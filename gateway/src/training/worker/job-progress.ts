import type { TrainingEventPayloads } from "../training-contracts";
import type { JobRecord, TrainingEventSink } from "./job-record";

type Phase = TrainingEventPayloads["progress"]["phase"];

/** At most this many progress events (and row updates) a second per job. */
const PROGRESS_EVENTS_PER_SECOND = 4;

/**
 * A job's progress: the fraction of all planned epochs of all planned trials (a finished,
 * pruned or early-stopped trial counts as its whole budget), never going backwards. Reported as
 * "progress" events and on the row, throttled; phase changes always go out.
 */
export class JobProgress {
  #trial = 0;
  #trialsBefore = 0;
  #epoch = 0;
  #fraction = 0;
  #phase: Phase = "FEATURES";
  #lastSent = 0;

  constructor(
    private readonly record: JobRecord,
    private readonly events: TrainingEventSink,
    private readonly plannedTrials: number,
    private readonly epochs: number,
    private readonly minIntervalMs = 1000 / PROGRESS_EVENTS_PER_SECOND,
  ) {}

  get fraction(): number {
    return this.#fraction;
  }

  /** `trialsBefore`: trials already finished, whose epochs all count as done. */
  async trialStarted(trial: number, trialsBefore: number, resumedAfterEpoch: number): Promise<void> {
    this.#trial = trial;
    this.#trialsBefore = trialsBefore;
    this.#epoch = resumedAfterEpoch;
    this.#advance(resumedAfterEpoch);
    await this.#send("FEATURES", resumedAfterEpoch, 0, 0, true);
  }

  async features(done: number, total: number): Promise<void> {
    await this.#send("FEATURES", this.#epoch, done, total, done === total);
  }

  /** `epoch` is 1-based; `step` of `totalSteps` within it. */
  async step(epoch: number, step: number, totalSteps: number): Promise<void> {
    this.#epoch = epoch;
    this.#advance(epoch - 1 + (totalSteps > 0 ? step / totalSteps : 0));
    await this.#send("TRAINING", epoch, step, totalSteps, this.#phase !== "TRAINING");
  }

  async epochDone(epoch: number): Promise<void> {
    this.#epoch = epoch;
    this.#advance(epoch);
    await this.record.update({ currentEpoch: epoch, progress: this.#fraction });
  }

  async exporting(): Promise<void> {
    this.#fraction = Math.max(this.#fraction, 0.99);
    await this.#send("EXPORTING", this.#epoch, 0, 0, true);
  }

  #advance(epochsIntoTrial: number): void {
    const total = Math.max(1, this.plannedTrials * this.epochs);
    const done = this.#trialsBefore * this.epochs + Math.min(this.epochs, epochsIntoTrial);
    this.#fraction = Math.max(this.#fraction, Math.min(0.99, done / total));
  }

  async #send(phase: Phase, epoch: number, step: number, totalSteps: number, force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.#lastSent < this.minIntervalMs) return;
    this.#lastSent = now;
    this.#phase = phase;
    if (!(await this.record.update({ currentEpoch: epoch, progress: this.#fraction }))) return;
    await this.events.append(this.record.jobId, "progress", {
      status: "RUNNING",
      phase,
      trial: this.#trial,
      epoch,
      totalEpochs: this.epochs,
      step,
      totalSteps,
      progress: this.#fraction,
    });
  }
}
