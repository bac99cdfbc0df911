import { randomBytes } from "node:crypto";
import os from "node:os";
import type { TrainingWorkerDeps, TrainingWorkerSettings } from "./run-context";
import { RunningJobs } from "./running-jobs";
import { StaleJobSweeper } from "./stale-jobs";
import { TRAIN_JOB } from "../training.service";
import { trainJobHandler } from "./train-job";

/** How long stopping waits for running jobs to be handed back (writing a few rows each). */
const HAND_BACK_TIMEOUT_MS = 5_000;

export interface TrainingWorkers {
  /** How this process names itself in TrainingJob.workerId. */
  workerId: string;
  /** Stops sweeping and hands running jobs back to the queue; call before the queue stops. */
  stop(): Promise<void>;
}

/**
 * Makes this process work "train-model" jobs, `settings.workers` at once, and sweep for jobs
 * whose worker died. With 0 workers it does neither (another process, `npm run worker`, does).
 */
export async function startTrainingWorkers(
  deps: TrainingWorkerDeps,
  settings: TrainingWorkerSettings,
): Promise<TrainingWorkers> {
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  if (settings.workers === 0) return { workerId, stop: async () => {} };
  const logger = deps.logger.child({ component: "training-worker" });
  const running = new RunningJobs();
  await deps.jobs.work(TRAIN_JOB, trainJobHandler({ ...deps, logger }, settings, workerId, running), {
    concurrency: settings.workers,
  });
  const sweeper = new StaleJobSweeper(deps.prisma, deps.jobs, deps.events, logger, settings);
  sweeper.start();
  logger.info({ workerId, workers: settings.workers }, "training workers started");
  return {
    workerId,
    async stop() {
      await sweeper.stop();
      if (running.size > 0)
        logger.info({ jobs: running.size }, "handing running training jobs back to the queue");
      await running.handBack(HAND_BACK_TIMEOUT_MS);
    },
  };
}
