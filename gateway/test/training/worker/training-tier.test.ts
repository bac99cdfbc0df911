import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTierProcess, type TierProcess } from "../../../../inference/test/helpers/tier-process";
import { AppError, ErrorCode } from "../../../src/errors";
import { createLogger } from "../../../src/logger";
import { LocalBlobStore } from "../../../src/storage/local-blob-store";
import { TierClient } from "../../../src/tier/tier-client";
import { stageImages } from "../../../src/training/worker/image-staging";
import {
  isRefusedByTier,
  isTierGone,
  TrainingTier,
  type TrainRequest,
} from "../../../src/training/worker/training-tier";

const logger = createLogger({ level: "silent" });

const colours: Array<[number, number, number]> = [
  [220, 30, 30],
  [200, 60, 40],
  [230, 20, 60],
  [30, 30, 220],
  [40, 60, 200],
  [20, 40, 240],
];

/** The streaming calls of the tier client, through the worker's TrainingTier, on a real tier. */
describe("the training tier's streaming calls", () => {
  let tierProcess: TierProcess;
  let client: TierClient;
  let tier: TrainingTier;
  let address: string;
  let blobDir: string;
  let store: LocalBlobStore;
  let images: string[];

  beforeAll(async () => {
    tierProcess = await startTierProcess(0);
    address = `127.0.0.1:${tierProcess.port}`;
    client = new TierClient({ urls: [address], logger, probeIntervalMs: 100 });
    tier = new TrainingTier(client);
    blobDir = await mkdtemp(path.join(tmpdir(), "tessera-training-tier-"));
    store = new LocalBlobStore(blobDir);
    images = [];
    for (const [r, g, b] of colours) {
      const png = await sharp({ create: { width: 12, height: 12, channels: 3, background: { r, g, b } } })
        .png()
        .toBuffer();
      images.push((await store.put(Readable.from([png]))).sha256);
    }
  });

  afterAll(async () => {
    client?.close();
    await tierProcess?.stop();
    await rm(blobDir, { recursive: true, force: true });
  });

  const request = (epochs: number): TrainRequest => ({
    job_id: "tier-test",
    trial: 0,
    base: { model_name: "", model_version: "", feature_output: "" },
    labels: ["red", "blue"],
    samples: images.map((sha256, index) => ({
      sha256,
      label: index < 3 ? 0 : 1,
      split: index % 3 === 2 ? "VALIDATION" : "TRAIN",
    })),
    hyperparameters: {
      learning_rate: 0.01,
      epochs,
      batch_size: 1,
      early_stopping: false,
      monitor: "val_loss",
    },
  });

  it("stages over PutImages only what MissingImages says the tier lacks", async () => {
    const unknown = createHash("sha256").update("never staged").digest("hex");
    expect(await tier.missingImages(address, [unknown], new AbortController().signal)).toEqual([unknown]);
    const signal = new AbortController().signal;
    // A tier of its own with a cache of its own: nothing staged yet; an image listed twice goes once.
    expect(await stageImages(tier, address, store, [...images, images[0]!], signal)).toEqual({
      images: images.length,
      sent: images.length,
    });
    expect(await tier.missingImages(address, images, signal)).toEqual([]);
    expect(await stageImages(tier, address, store, images, signal)).toEqual({
      images: images.length,
      sent: 0,
    });
  });

  it("streams Train's events; leaving the loop early cancels the call", async () => {
    const kinds: string[] = [];
    for await (const event of tier.train(address, request(1_000), new AbortController().signal)) {
      kinds.push(event.event!);
      if (event.event === "checkpoint") break;
    }
    expect(kinds).toContain("metrics");
    expect(kinds.at(-1)).toBe("checkpoint");
    // The tier is free again at once: a short run goes through to its result.
    const last = await lastEvent(tier.train(address, request(2), new AbortController().signal));
    expect(last.event).toBe("result");
    expect(last.result!.epochs_run).toBe(2);
  });

  it("rejects with the abort reason when the caller aborts mid-stream", async () => {
    const controller = new AbortController();
    const reason = new Error("stop now");
    const consumed = (async () => {
      for await (const event of tier.train(address, request(1_000), controller.signal)) {
        if (event.event === "metrics") controller.abort(reason);
      }
    })();
    await expect(consumed).rejects.toBe(reason);
  });

  it("turns the tier's refusal into an AppError that says it cannot succeed", async () => {
    const error = await lastEvent(
      tier.train(address, { ...request(2), labels: [] }, new AbortController().signal),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    expect(isRefusedByTier(error)).toBe(true);
    expect(isTierGone(error)).toBe(false);
  });

  it("fails with UNAVAILABLE and marks the tier down when it dies mid-stream", async () => {
    // A stream's failure has the tier probed; the probe's failure marks it down (and says so).
    const markedDown = new Promise<string>((resolve) => client.onTierDown(resolve));
    const error = await (async () => {
      for await (const event of tier.train(address, request(1_000), new AbortController().signal)) {
        if (event.event === "metrics") void tierProcess.stop("SIGKILL");
      }
    })().catch((caught: unknown) => caught);
    expect(isTierGone(error)).toBe(true);
    expect(error).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    expect(await markedDown).toBe(address);
    expect(client.status()).toMatchObject([{ address, up: false }]);
  });
});

async function lastEvent<T>(events: AsyncIterable<T>): Promise<T> {
  let last: T | undefined;
  for await (const event of events) last = event;
  if (last === undefined) throw new Error("the stream sent nothing");
  return last;
}
