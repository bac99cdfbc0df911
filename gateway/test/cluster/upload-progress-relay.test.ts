import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  UploadProgressHub,
  type UploadProgressRelay,
  type UploadProgressSnapshot,
} from "../../src/datasets/ingest/upload-progress";

const PROGRESS_ID = "relayed-upload-1";
const KEY = `ada/${PROGRESS_ID}`;

/** Two replicas' hubs joined as the cluster bus joins them (each hears the other, never itself). */
function twoReplicas() {
  const a = new UploadProgressHub();
  const b = new UploadProgressHub();
  const sent: Array<{ from: string; key: string; phase?: string; ended?: boolean; asked?: true }> = [];
  const join = (from: string, self: UploadProgressHub, other: UploadProgressHub): UploadProgressRelay => ({
    published: (key, snapshot, ended) => {
      sent.push({ from, key, phase: snapshot.phase, ended });
      other.deliverRelayed(key, snapshot, ended);
    },
    asked: (key) => {
      sent.push({ from, key, asked: true });
      other.answerRelayed(key);
    },
  });
  a.relayTo(join("A", a, b));
  b.relayTo(join("B", b, a));
  return { a, b, sent };
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

describe("upload progress across replicas", () => {
  it("sends a follower on B what an upload on A sends its own, and ends it with the last snapshot", async () => {
    const { a, b, sent } = twoReplicas();
    const onB = b.follow("ada", PROGRESS_ID);
    const onA = a.follow("ada", PROGRESS_ID);
    const upload = a.open("ada", PROGRESS_ID);
    upload.phase("RECEIVING");
    expect((await onB.next()).value).toEqual((await onA.next()).value);
    upload.checking({ processed: 2, total: 4, rejected: 0 });
    vi.setSystemTime(1_000);
    upload.checking({ processed: 4, total: 4, rejected: 1 });
    upload.finish("DONE");
    const last = { phase: "DONE", processed: 4, total: 4, rejected: 1, etaSeconds: 0 };
    expect(await drain(onB)).toEqual([last]);
    expect(await drain(onA)).toEqual([last]);
    // Throttled on A before it is sent: one message per snapshot A's own followers got.
    expect(sent).toEqual([
      { from: "B", key: KEY, asked: true },
      { from: "A", key: KEY, asked: true },
      { from: "A", key: KEY, phase: "RECEIVING", ended: false },
      { from: "A", key: KEY, phase: "CHECKING", ended: false },
      { from: "A", key: KEY, phase: "CHECKING", ended: false },
      { from: "A", key: KEY, phase: "DONE", ended: true },
    ]);
  });

  it("answers a follower who joins on B after the upload began on A with where it stands", async () => {
    const { a, b } = twoReplicas();
    const upload = a.open("ada", PROGRESS_ID);
    upload.checking({ processed: 3, total: 10, rejected: 1 });
    const onB = b.follow("ada", PROGRESS_ID);
    expect((await onB.next()).value).toMatchObject({
      phase: "CHECKING",
      processed: 3,
      total: 10,
      rejected: 1,
    });
    upload.finish("FAILED");
    expect(await drain(onB)).toEqual([
      { phase: "FAILED", processed: 3, total: 10, rejected: 1, etaSeconds: null },
    ]);
  });

  it("sends nothing to another user's follower of the same id, nor keeps channels for uploads no one follows", async () => {
    const { a, b } = twoReplicas();
    const eve = b.follow("eve", PROGRESS_ID);
    const upload = a.open("ada", PROGRESS_ID);
    upload.checking({ processed: 1, total: 2, rejected: 0 });
    upload.finish("DONE");
    expect(await Promise.race([eve.next(), Promise.resolve("nothing yet")])).toBe("nothing yet");
    await eve.return!();
    // B kept nothing for ada's upload: a follower joining now waits for a new one.
    const late = b.follow("ada", PROGRESS_ID);
    expect(await Promise.race([late.next(), Promise.resolve("nothing yet")])).toBe("nothing yet");
  });
});
