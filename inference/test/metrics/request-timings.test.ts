import { describe, expect, it } from "vitest";
import { RequestTimings, withRequestTimings } from "../../src/metrics/request-timings";
import { DynamicBatcher, type BatchExecutor } from "../../src/runtime/batcher";
import type { Tensor } from "../../src/runtime/model-runner";
import { VersionStatistics } from "../../src/runtime/model-statistics";
import type { SessionRunResult } from "../../src/runtime/session-pool";

/** One instance that runs when the test says so: requests queue while it is busy. */
class GatedExecutor implements BatchExecutor {
  busy = true;
  runs: number[] = [];
  private idle: () => void = () => undefined;

  hasIdleInstance = () => !this.busy;
  onIdle(listener: () => void) {
    this.idle = listener;
  }
  release() {
    this.busy = false;
    this.idle();
  }
  async run(feeds: Record<string, Tensor>): Promise<SessionRunResult> {
    const input = feeds.x!;
    this.runs.push(input.shape[0]!);
    // Identity model: a few milliseconds of "compute" so the run's time is measurable.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { outputs: { y: input }, timings: { inputNs: 1_000, inferNs: 4_000_000, outputNs: 1_000 } };
  }
}

const row = (value: number): Tensor => ({
  dataType: "FLOAT32",
  shape: [1, 2],
  data: new Float32Array([value, value]),
});

function batcher(executor: BatchExecutor, statistics = new VersionStatistics()) {
  return new DynamicBatcher({
    label: 'model "m" version 1',
    executor,
    maxBatchSize: 4,
    dynamicBatching: { preferredBatchSizes: [], maxQueueDelayMicroseconds: 0 },
    maxQueueSize: 10,
    inputNames: ["x"],
    outputNames: ["y"],
    statistics,
  });
}

describe("TierTimings of a task call", () => {
  it("gives each request of a merged batch its own wait, the batch's run and the batch size", async () => {
    const executor = new GatedExecutor();
    const queue = batcher(executor);
    const first = new RequestTimings();
    const second = new RequestTimings();
    const answers = [
      withRequestTimings(first, () => queue.submit({ x: row(1) }, [])),
      withRequestTimings(second, () => queue.submit({ x: row(2) }, [])),
    ];
    await new Promise((resolve) => setTimeout(resolve, 10));
    executor.release();
    await Promise.all(answers);

    expect(executor.runs).toEqual([2]);
    const a = first.message()!;
    const b = second.message()!;
    expect([a.batch_size, b.batch_size]).toEqual([2, 2]);
    // Both waited for the gate (≥ 10 ms) and both report the same run of ≥ 4 ms.
    expect(a.queue_ms).toBeGreaterThanOrEqual(9);
    expect(b.queue_ms).toBeGreaterThanOrEqual(9);
    expect(a.compute_ms).toBe(b.compute_ms);
    expect(a.compute_ms).toBeGreaterThanOrEqual(4);
  });

  it("adds up the executions of a call that runs its model twice, and is null when nothing ran", async () => {
    const executor = new GatedExecutor();
    executor.busy = false;
    const queue = batcher(executor);
    const timings = new RequestTimings();
    await withRequestTimings(timings, async () => {
      await queue.submit({ x: row(1) }, []);
      await queue.submit({ x: row(2) }, []);
    });
    expect(executor.runs).toEqual([1, 1]);
    expect(timings.message()).toMatchObject({ batch_size: 1 });
    expect(timings.message()!.compute_ms).toBeGreaterThanOrEqual(8);
    expect(new RequestTimings().message()).toBeNull();
  });

  it("runs requests outside any task call (ModelInfer) as before", async () => {
    const executor = new GatedExecutor();
    executor.busy = false;
    const statistics = new VersionStatistics();
    const answer = await batcher(executor, statistics).submit({ x: row(3) }, []);
    expect(Array.from(answer.y!.data as Float32Array)).toEqual([3, 3]);
    expect(statistics.success.count).toBe(1);
  });
});
