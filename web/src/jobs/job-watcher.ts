import { isActiveJob } from "./job-status";
import { observeJobs, startJobWatch, type JobWatch, type WatchedJob } from "./job-watch";

export interface JobWatcherOptions<T extends WatchedJob> {
  /** The viewer's newest jobs, read from the server (not the cache). */
  fetchJobs(): Promise<T[]>;
  /** Jobs that finished since the last look, with every page the viewer was on meanwhile. */
  onFinished(jobs: T[], seenOn: string[]): void;
  /** The page the viewer is on now. */
  pathname: string;
  /** While a job is queued or running, how long between two looks. */
  pollMs: number;
}

export interface JobWatcher {
  /** Looks now, or right after the look under way. */
  look(): Promise<void>;
  /** The viewer went to another page: look, since a job may have been started from the last one. */
  navigate(pathname: string): void;
  stop(): void;
}

/**
 * Looks at the viewer's jobs one look at a time, again and again while one is active, and not at
 * all while none is (so an idle dashboard sends nothing).
 */
export function createJobWatcher<T extends WatchedJob>(options: JobWatcherOptions<T>): JobWatcher {
  let watch: JobWatch | null = null;
  let pathname = options.pathname;
  let visited = [pathname];
  let active = false;
  let looking = false;
  let lookAgain = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const lookOnce = async () => {
    const jobs = await options.fetchJobs();
    if (stopped) return;
    const seenOn = visited;
    visited = [pathname];
    active = jobs.some((job) => isActiveJob(job.status));
    if (!watch) {
      watch = startJobWatch(jobs);
      return;
    }
    const observed = observeJobs(watch, jobs);
    watch = observed.watch;
    if (observed.finished.length > 0) options.onFinished(observed.finished, seenOn);
  };

  const look = async () => {
    if (stopped) return;
    if (looking) {
      lookAgain = true;
      return;
    }
    looking = true;
    clearTimeout(timer);
    try {
      do {
        lookAgain = false;
        await lookOnce().catch(() => {
          // Notices are a courtesy: the next look tries again, and pages show their own errors.
        });
      } while (lookAgain && !stopped);
    } finally {
      looking = false;
      if (active && !stopped) timer = setTimeout(() => void look(), options.pollMs);
    }
  };

  return {
    look,
    navigate(next) {
      if (next === pathname) return;
      pathname = next;
      visited.push(next);
      void look();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
