import { describe, expect, it } from "vitest";
import { runOverlapped } from "../../../src/datasets/embeddings/embed-pipeline";

/** Batches 1…count; each stage logs when it starts and ends, and embeds resolve when released. */
function stages(count: number, options: { failEmbedOf?: number } = {}) {
  const log: string[] = [];
  const releases = new Map<number, () => void>();
  const released = (batch: number) => new Promise<void>((resolve) => releases.set(batch, resolve));
  return {
    log,
    release: (batch: number) => releases.get(batch)?.(),
    stages: {
      read: async (previous: number | null) => {
        const batch = (previous ?? 0) + 1;
        log.push(`read ${batch}`);
        return batch <= count ? batch : null;
      },
      embed: async (batch: number) => {
        log.push(`embed ${batch}`);
        await released(batch);
        if (batch === options.failEmbedOf) throw new Error(`tier refused ${batch}`);
        log.push(`embedded ${batch}`);
        return batch * 10;
      },
      store: async (vectors: number) => {
        log.push(`store ${vectors}`);
      },
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("runOverlapped", () => {
  it("keeps two embeds in flight, reads ahead, and stores every batch once in order", async () => {
    const run = stages(3);
    const done = runOverlapped(run.stages, 2);
    await tick();
    // Batches 1 and 2 are on the tier and 3 is read before either answered.
    expect(run.log).toEqual(["read 1", "read 2", "embed 1", "read 3", "embed 2"]);
    run.release(2);
    await tick();
    expect(run.log).not.toContain("store 20"); // stored in order: 1 first
    run.release(1);
    await tick();
    run.release(3);
    await done;
    expect(run.log.filter((entry) => entry.startsWith("store"))).toEqual([
      "store 10",
      "store 20",
      "store 30",
    ]);
  });

  it("throws the tier's error only once every started stage settled, storing nothing after", async () => {
    const run = stages(4, { failEmbedOf: 1 });
    const done = runOverlapped(run.stages, 2);
    let settled = false;
    void done.catch(() => (settled = true));
    await tick();
    run.release(1);
    await tick();
    expect(settled).toBe(false); // batch 2's call is still on the tier
    run.release(2);
    await expect(done).rejects.toThrow("tier refused 1");
    const after = run.log.length;
    await tick();
    expect(run.log.length).toBe(after);
    expect(run.log.filter((entry) => entry.startsWith("store"))).toEqual([]);
  });
});
