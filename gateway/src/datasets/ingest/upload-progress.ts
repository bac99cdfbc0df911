import { badInput } from "../../errors";
import { limits } from "../../limits";
import type { IngestProgress } from "./ingest-images";

export type UploadPhase = "RECEIVING" | "CHECKING" | "SAVING" | "DONE" | "FAILED";

export interface UploadProgressSnapshot {
  phase: UploadPhase;
  processed: number;
  total: number;
  rejected: number;
  /** Seconds left for the images still to check, from the rate so far; null until one is done. */
  etaSeconds: number | null;
}

/** What an upload tells its followers; `finish` ends every subscription with a last snapshot. */
export interface UploadProgressReporter {
  phase(phase: "RECEIVING" | "SAVING"): void;
  checking(progress: IngestProgress): void;
  finish(phase: "DONE" | "FAILED"): void;
}

/** A client-chosen id: 8 to limits.uploadProgressIdLength letters, digits, `-` or `_` (a UUID fits). */
const progressIdPattern = new RegExp(`^[A-Za-z0-9_-]{8,${limits.uploadProgressIdLength}}$`);

/** Updates sent at most this often, so 50,000 images make a few hundred messages, not 50,000. */
const publishEveryMs = 250;

const silentReporter: UploadProgressReporter = { phase() {}, checking() {}, finish() {} };

/**
 * Progress of uploads still inside their request, by (user, client-chosen progress id): the
 * client subscribes first, then sends the upload with the same id. In memory, because the upload
 * runs in this process and its progress is worthless once it ends; a channel exists only while an
 * upload or a follower holds it. Keyed by the user, so another user's subscription to the same id
 * sees nothing.
 */
export class UploadProgressHub {
  readonly #channels = new Map<string, Channel>();

  /** A reporter for one upload; none without an id. */
  open(userId: string, progressId: string | null | undefined): UploadProgressReporter {
    if (progressId === null || progressId === undefined) return silentReporter;
    const key = checkedKey(userId, progressId);
    const channel = this.#channel(key);
    if (channel.running)
      throw badInput("progressId is already used by an upload still running", { field: "progressId" });
    channel.running = true;
    // The rate counts from the first image, not from the first byte of the archive.
    let checkingSince: number | null = null;
    return {
      phase: (phase) => channel.update({ ...channel.latest, phase, etaSeconds: null }),
      checking: ({ processed, total, rejected }) => {
        checkingSince ??= Date.now();
        const elapsed = (Date.now() - checkingSince) / 1000;
        const etaSeconds = processed > 0 ? ((total - processed) * elapsed) / processed : null;
        channel.update({ phase: "CHECKING", processed, total, rejected, etaSeconds });
      },
      finish: (phase) => {
        channel.end({ ...channel.latest, phase, etaSeconds: phase === "DONE" ? 0 : null });
        this.#channels.delete(key);
      },
    };
  }

  /** Every change of the upload's progress, starting with the current one if it has begun. */
  follow(userId: string, progressId: string): AsyncIterableIterator<UploadProgressSnapshot> {
    const key = checkedKey(userId, progressId);
    const channel = this.#channel(key);
    return channel.follow(() => {
      const idle = !channel.running && channel.followers.size === 0;
      if (idle && this.#channels.get(key) === channel) this.#channels.delete(key);
    });
  }

  #channel(key: string): Channel {
    let channel = this.#channels.get(key);
    if (!channel) this.#channels.set(key, (channel = new Channel()));
    return channel;
  }
}

function checkedKey(userId: string, progressId: string): string {
  if (!progressIdPattern.test(progressId)) {
    throw badInput(`progressId must be 8 to ${limits.uploadProgressIdLength} letters, digits, '-' or '_'`, {
      field: "progressId",
    });
  }
  return `${userId}/${progressId}`;
}

class Channel {
  running = false;
  latest: UploadProgressSnapshot = {
    phase: "RECEIVING",
    processed: 0,
    total: 0,
    rejected: 0,
    etaSeconds: null,
  };
  readonly followers = new Set<Follower>();
  #publishedAt = 0;
  #published: UploadPhase | null = null;
  #timer: NodeJS.Timeout | undefined;

  update(snapshot: UploadProgressSnapshot): void {
    this.latest = snapshot;
    const wait = this.#publishedAt + publishEveryMs - Date.now();
    if (snapshot.phase !== this.#published || wait <= 0) this.#publish();
    else this.#timer ??= setTimeout(() => this.#publish(), wait);
  }

  end(snapshot: UploadProgressSnapshot): void {
    this.latest = snapshot;
    this.running = false;
    this.#publish();
    for (const follower of this.followers) follower.end();
    this.followers.clear();
  }

  follow(onLeave: () => void): Follower {
    const follower = new Follower(() => {
      this.followers.delete(follower);
      onLeave();
    });
    this.followers.add(follower);
    if (this.running) follower.deliver(this.latest);
    return follower;
  }

  #publish(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#publishedAt = Date.now();
    this.#published = this.latest.phase;
    for (const follower of this.followers) follower.deliver(this.latest);
  }
}

/** One subscription: keeps only the newest snapshot it has not sent, so a slow client never piles up. */
class Follower implements AsyncIterableIterator<UploadProgressSnapshot> {
  #pending: UploadProgressSnapshot | null = null;
  #waiting: ((result: IteratorResult<UploadProgressSnapshot>) => void) | null = null;
  #ended = false;

  constructor(private readonly onLeave: () => void) {}

  deliver(snapshot: UploadProgressSnapshot): void {
    if (this.#ended) return;
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) waiting({ value: snapshot, done: false });
    else this.#pending = snapshot;
  }

  end(): void {
    this.#ended = true;
    if (this.#pending) return;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<UploadProgressSnapshot>> {
    const pending = this.#pending;
    this.#pending = null;
    if (pending) return Promise.resolve({ value: pending, done: false });
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  async return(): Promise<IteratorResult<UploadProgressSnapshot>> {
    if (!this.#ended) {
      this.#ended = true;
      this.#pending = null;
      this.onLeave();
    }
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.({ value: undefined, done: true });
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
