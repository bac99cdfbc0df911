import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UploadProgressHub, type UploadProgressSnapshot } from "../../../src/datasets/ingest/upload-progress";
import { AppError } from "../../../src/errors";

const PROGRESS_ID = "5b8e7c1e-upload";

/** Whether the iterator has a value (or its end) ready now; takes it if so. */
function ready<T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T> | "nothing yet"> {
  return Promise.race([iterator.next(), Promise.resolve("nothing yet" as const)]);
}

async function drain(iterator: AsyncIterator<UploadProgressSnapshot>): Promise<UploadProgressSnapshot[]> {
  const seen: UploadProgressSnapshot[] = [];
  for (let result = await iterator.next(); !result.done; result = await iterator.next())
    seen.push(result.value);
  return seen;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("UploadProgressHub", () => {
  it("sends a follower who subscribed first each phase, the counts with an ETA, and ends after DONE", async () => {
    const hub = new UploadProgressHub();
    const follower = hub.follow("ada", PROGRESS_ID);
    const upload = hub.open("ada", PROGRESS_ID);
    upload.phase("RECEIVING");
    upload.checking({ processed: 0, total: 4, rejected: 0 });
    vi.setSystemTime(2_000);
    upload.checking({ processed: 1, total: 4, rejected: 1 });
    upload.phase("SAVING");
    upload.finish("DONE");
    // Latest wins: the follower had not asked yet, so it gets only the newest snapshot.
    expect(await drain(follower)).toEqual([
      { phase: "DONE", processed: 1, total: 4, rejected: 1, etaSeconds: 0 },
    ]);
  });

  it("sends at most one update per 250 ms within a phase, then the latest one", async () => {
    const hub = new UploadProgressHub();
    const follower = hub.follow("ada", PROGRESS_ID);
    const upload = hub.open("ada", PROGRESS_ID);
    const received: UploadProgressSnapshot[] = [];
    const take = async () => {
      const result = await follower.next();
      if (!result.done) received.push(result.value);
    };
    upload.checking({ processed: 0, total: 100, rejected: 0 });
    await take();
    vi.setSystemTime(1_000);
    for (let processed = 1; processed <= 50; processed += 1)
      upload.checking({ processed, total: 100, rejected: 0 });
    await take();
    const later = follower.next();
    expect(await Promise.race([later, Promise.resolve("nothing yet")])).toBe("nothing yet");
    vi.advanceTimersByTime(250);
    const result = await later;
    if (!result.done) received.push(result.value);
    expect(received.map((snapshot) => snapshot.processed)).toEqual([0, 1, 50]);
    // 50 done in 1 s: 50 left take 1 s more.
    expect(received[2]).toEqual({ phase: "CHECKING", processed: 50, total: 100, rejected: 0, etaSeconds: 1 });
    upload.finish("FAILED");
    expect(await drain(follower)).toEqual([
      { phase: "FAILED", processed: 50, total: 100, rejected: 0, etaSeconds: null },
    ]);
  });

  it("shows another user nothing of an upload with the same progress id", async () => {
    const hub = new UploadProgressHub();
    const bob = hub.follow("bob", PROGRESS_ID);
    const upload = hub.open("ada", PROGRESS_ID);
    upload.checking({ processed: 3, total: 4, rejected: 0 });
    upload.finish("DONE");
    expect(await ready(bob)).toBe("nothing yet");
    expect(await bob.return!()).toEqual({ value: undefined, done: true });
  });

  it("refuses a malformed id and an id already used by a running upload of the same user", () => {
    const hub = new UploadProgressHub();
    expect(() => hub.follow("ada", "short")).toThrow(AppError);
    hub.open("ada", PROGRESS_ID);
    expect(() => hub.open("ada", PROGRESS_ID)).toThrow(/already used/);
    expect(() => hub.open("bob", PROGRESS_ID)).not.toThrow();
  });
});
