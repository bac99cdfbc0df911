import type { Prisma } from "../../generated/prisma/client";
import type { JobContext } from "../../jobs/job-kind";
import type { TrainingEventPayloads } from "../training-contracts";

type Phase = TrainingEventPayloads["progress"]["phase"];

/** The training row of the job being run: what its trials and progress write besides the Job. */
export interface TrainingRecord {
  jobId: string;
  update(data: Prisma.TrainingJobUpdateInput): Promise<unknown>;
}

/** The training details a progress event of the job platform carries. */
export type TrainingProgressDetail = Omit<TrainingEventPayloads["progress"], "status" | "progress">;

/** At most this many progress events a second per job. */
const PROGRESS_EVENTS_PER_SECOND = 4;

/**
 * A job's progress: the fraction of all planned epochs of all planned trials (a finished,
 * pruned or early-stopped trial counts as its whole budget), never going backwards. Reported
 * through the job platform (the Job row and its "progress" events, throttled; phase changes
 * always go out) and as the training row's current epoch.
 */
export class JobProgress {
  #trial = 0;
  #trialsBefore = 0;
  #epoch = 0;
  #fraction = 0;
  #phase: Phase = "FEATURES";
  #lastSent = 0;
  #step = 0;
  #totalSteps = 0;

  constructor(
    private readonly record: TrainingRecord,
    private readonly context: Pick<JobContext<unknown, object, TrainingProgressDetail>, "progress">,
    private readonly plannedTrials: number,
    private readonly epochs: number,
    startFraction = 0,
    private readonly minIntervalMs = 1000 / PROGRESS_EVENTS_PER_SECOND,
  ) {
    this.#fraction = Math.min(0.99, startFraction);
  }

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
    await this.#send(this.#phase, epoch, this.#step, this.#totalSteps, true);
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
    this.#step = step;
    this.#totalSteps = totalSteps;
    await this.record.update({ currentEpoch: epoch });
    await this.context.progress({
      fraction: this.#fraction,
      phase,
      force: true,
      detail: { phase, trial: this.#trial, epoch, totalEpochs: this.epochs, step, totalSteps },
    });
  }
}
