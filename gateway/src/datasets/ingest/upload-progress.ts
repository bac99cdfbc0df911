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
 * How progress reaches followers on other gateway replicas (the cluster bus): every snapshot an
 * upload here sends, and a question when someone here starts following an upload that does not
 * run here (the replica running it answers with its latest snapshot).
 */
export interface UploadProgressRelay {
  published(key: string, snapshot: UploadProgressSnapshot, ended: boolean): void;
  asked(key: string): void;
}

/**
 * Progress of uploads still inside their request, by (user, client-chosen progress id): the
 * client subscribes first, then sends the upload with the same id. In memory, because the upload
 * runs in this process and its progress is worthless once it ends; a channel exists only while an
 * upload or a follower holds it. Keyed by the user, so another user's subscription to the same id
 * sees nothing. With a relay, a follower on another replica sees it too.
 */
export class UploadProgressHub {
  readonly #channels = new Map<string, Channel>();
  #relay: UploadProgressRelay | null = null;

  relayTo(relay: UploadProgressRelay): void {
    this.#relay = relay;
  }

  /** Another replica's upload sent a snapshot: followers here get it (only those already following). */
  deliverRelayed(key: string, snapshot: UploadProgressSnapshot, ended: boolean): void {
    const channel = this.#channels.get(key);
    // Running here too: the same id used on two replicas at once; this replica's own upload wins.
    if (!channel || channel.running) return;
    if (!ended) return channel.deliver(snapshot);
    channel.end(snapshot);
    this.#channels.delete(key);
  }

  /** A follower on another replica asks: the upload, if it runs here, tells where it stands. */
  answerRelayed(key: string): void {
    const channel = this.#channels.get(key);
    if (channel?.running) this.#relay?.published(key, channel.latest, false);
  }

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
    const follower = channel.follow(() => {
      const idle = !channel.running && channel.followers.size === 0;
      if (idle && this.#channels.get(key) === channel) this.#channels.delete(key);
    });
    if (!channel.running) this.#relay?.asked(key);
    return follower;
  }

  #channel(key: string): Channel {
    let channel = this.#channels.get(key);
    if (!channel) {
      channel = new Channel((snapshot, ended) => this.#relay?.published(key, snapshot, ended));
      this.#channels.set(key, channel);
    }
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

  /** `onPublish` hears what this replica's upload sends, not what is relayed from elsewhere. */
  constructor(private readonly onPublish: (snapshot: UploadProgressSnapshot, ended: boolean) => void) {}

  update(snapshot: UploadProgressSnapshot): void {
    this.latest = snapshot;
    const wait = this.#publishedAt + publishEveryMs - Date.now();
    if (snapshot.phase !== this.#published || wait <= 0) this.#publish();
    else this.#timer ??= setTimeout(() => this.#publish(), wait);
  }

  end(snapshot: UploadProgressSnapshot): void {
    const ran = this.running;
    this.latest = snapshot;
    this.running = false;
    this.deliver(snapshot);
    if (ran) this.onPublish(snapshot, true);
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

  deliver(snapshot: UploadProgressSnapshot): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#publishedAt = Date.now();
    this.#published = snapshot.phase;
    for (const follower of this.followers) follower.deliver(snapshot);
  }

  #publish(): void {
    this.deliver(this.latest);
    this.onPublish(this.latest, false);
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
