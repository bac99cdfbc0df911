import { GatewayClient, GatewayRequestError } from "./gateway-client";
import { applyEvent, initialState, type ProgressState } from "./progress-state";
import type { TrainCommand } from "./train-arguments";
import { createOutput, type OutputStreams, type TrainOutput } from "./train-output";
import {
  CANCEL_TRAINING,
  FINISHED_JOB,
  isFinalEvent,
  START_TRAINING,
  TRAINING_PROGRESS,
  type FinishedJob,
  type StartedJob,
  type TrainingEvent,
} from "./training-documents";

export const EXIT_SUCCEEDED = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Ctrl-C: `listen` registers a handler and returns what removes it. */
export interface Interrupts {
  listen(handler: () => void): () => void;
}

/** Times the CLI follows the job again when the gateway ends the stream before the job ended. */
const MAX_RESUBSCRIBES = 5;
const RESUBSCRIBE_DELAY_MS = 1000;
const TICK_MS = 1000;

type StreamEnd = "final" | "ended" | "abandoned";

/**
 * Starts the job, follows its events until it ends, prints the outcome and returns the exit code.
 * The first Ctrl-C cancels the job and waits for the gateway to report it; a second one leaves.
 */
export async function runTraining(
  command: TrainCommand,
  streams: OutputStreams,
  interrupts: Interrupts,
): Promise<number> {
  const client = new GatewayClient(command.url, command.token);
  const output = createOutput(streams, command.json);
  const startedAt = Date.now();
  let interrupted = 0;
  let onInterrupt = () => {
    interrupted += 1;
  };
  const stopListening = interrupts.listen(() => onInterrupt());
  let started: StartedJob | null = null;
  try {
    const { startTraining: job } = await client.request<{ startTraining: StartedJob }>(START_TRAINING, {
      input: command.input,
    });
    started = job;
    output.started(job, command.url);
    const follower = new JobFollower(client, output, job);
    onInterrupt = () => {
      interrupted += 1;
      if (interrupted === 1) void cancel(client, output, job.id);
      else follower.abandon();
    };
    // Ctrl-C while startTraining was on its way: the job exists now, so cancel it.
    if (interrupted > 0) {
      interrupted = 0;
      onInterrupt();
    }
    const end = await followToEnd(client, output, follower, job.id);
    if (end === "abandoned") {
      output.note(`Left without waiting; job ${job.id} may still be cancelling`);
      return EXIT_INTERRUPTED;
    }
    const finished = await finishedJob(client, job.id);
    output.finished(finished, (Date.now() - startedAt) / 1000);
    if (finished.status === "SUCCEEDED") return EXIT_SUCCEEDED;
    if (finished.status === "CANCELLED" && interrupted > 0) return EXIT_INTERRUPTED;
    return EXIT_FAILED;
  } catch (error) {
    if (!(error instanceof GatewayRequestError)) throw error;
    output.errors(error.errors);
    if (started)
      output.note(`Job ${started.id} goes on without this command; trainingJob(id) tells how it ends`);
    return EXIT_FAILED;
  } finally {
    stopListening();
    await client.close();
  }
}

const isFinished = (job: { status: string }) => ["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status);

/**
 * Follows the job until its final event. The gateway ends streams when it shuts down: then,
 * while the job has not ended, the CLI follows it again (the first event is its current state).
 */
async function followToEnd(
  client: GatewayClient,
  output: TrainOutput,
  follower: JobFollower,
  jobId: string,
): Promise<StreamEnd> {
  let end = await follower.follow();
  for (let again = 1; end === "ended" && again <= MAX_RESUBSCRIBES; again++) {
    const job = await finishedJob(client, jobId);
    if (isFinished(job)) break;
    output.note(`The gateway ended the event stream while the job was ${job.status}; following it again`);
    await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_DELAY_MS));
    end = await follower.follow();
  }
  return end;
}

async function finishedJob(client: GatewayClient, jobId: string): Promise<FinishedJob> {
  const { trainingJob } = await client.request<{ trainingJob: FinishedJob | null }>(FINISHED_JOB, {
    id: jobId,
  });
  if (!trainingJob) {
    throw new GatewayRequestError([{ code: "NOT_FOUND", message: `Training job ${jobId} is gone` }]);
  }
  return trainingJob;
}

async function cancel(client: GatewayClient, output: TrainOutput, jobId: string): Promise<void> {
  output.note(`Cancelling job ${jobId}… (Ctrl-C again to leave without waiting)`);
  try {
    await client.request(CANCEL_TRAINING, { id: jobId });
  } catch (error) {
    // Typically CONFLICT: the job ended meanwhile; its final event tells how.
    if (error instanceof GatewayRequestError) output.errors(error.errors);
    else output.note(`Cancelling failed: ${(error as Error).message}`);
  }
}

/** The job's event stream, applied to the progress state and shown as it arrives. */
class JobFollower {
  #state: ProgressState;
  #abandon: (() => void) | null = null;

  constructor(
    private readonly client: GatewayClient,
    private readonly output: TrainOutput,
    job: StartedJob,
  ) {
    this.#state = initialState(job);
  }

  follow(): Promise<StreamEnd> {
    return new Promise<StreamEnd>((resolve, reject) => {
      const ticker = setInterval(() => this.output.tick(this.#state, Date.now()), TICK_MS);
      let unsubscribe = () => {};
      const settle = (finish: () => void) => {
        clearInterval(ticker);
        this.#abandon = null;
        unsubscribe();
        finish();
      };
      this.#abandon = () => settle(() => resolve("abandoned"));
      unsubscribe = this.client.subscribe<{ trainingProgress: TrainingEvent }>(
        TRAINING_PROGRESS,
        { jobId: this.#state.jobId },
        {
          next: ({ trainingProgress: event }) => {
            const before = this.#state;
            this.#state = applyEvent(before, event, Date.now());
            this.output.event(before, event, this.#state, Date.now());
            if (isFinalEvent(event)) settle(() => resolve("final"));
          },
          error: (error) => settle(() => reject(error)),
          complete: () => settle(() => resolve("ended")),
        },
      );
      this.output.tick(this.#state, Date.now());
    });
  }

  abandon(): void {
    this.#abandon?.();
  }
}
