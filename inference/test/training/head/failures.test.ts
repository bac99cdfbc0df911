import { describe, expect, it } from "vitest";
import { TierError } from "../../../src/runtime/errors";
import { CheckpointError, TrainingDivergedError } from "../../../src/training/contracts";
import { clusters, collect, eventsOf, trainOn } from "./support";

const data = clusters({ classes: 3, dimension: 6, perClass: 10, spread: 2 });

async function checkpointOf(overrides: Parameters<typeof trainOn>[1]): Promise<Uint8Array> {
  return eventsOf(await collect(trainOn(data, { epochs: 1, ...overrides })), "checkpoint")[0]!.state;
}

describe("a run that cannot go on", () => {
  it("throws TrainingDivergedError naming the epoch and learning rate when the loss stops being finite", async () => {
    const run = collect(trainOn(data, { optimizer: "SGD", learning_rate: 1e30 }));
    await expect(run).rejects.toThrow(TrainingDivergedError);
    await expect(run).rejects.toThrow(/in epoch 1 \(step \d+ of 2\) at learning rate 1e\+30/);
  });

  it("throws TrainingDivergedError when the last step of an epoch breaks the weights", async () => {
    // One mini-batch per epoch: the only loss the training sees comes before the update.
    const run = collect(trainOn(data, { optimizer: "SGD", learning_rate: 1e30, batch_size: 1000 }));
    await expect(run).rejects.toThrow(TrainingDivergedError);
    await expect(run).rejects.toThrow(
      /^the validation loss became NaN after epoch 1 at learning rate 1e\+30/,
    );
  });

  it("stops at the next mini-batch once the signal aborts, with the signal's reason", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const event of trainOn(data, { batch_size: 2 }, { signal: controller.signal })) {
        seen.push(event.kind);
        if (event.kind === "progress") controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(seen).toEqual(["progress"]);
  });

  it("keeps the event loop turning, so a timer's abort lands within milliseconds", async () => {
    const large = clusters({ classes: 5, dimension: 64, perClass: 200, spread: 1 });
    const controller = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort(new Error("cancelled by the user"));
    }, 50);
    const run = collect(trainOn(large, { epochs: 1000, hidden_units: 64 }, { signal: controller.signal }));
    await expect(run).rejects.toThrow("cancelled by the user");
    expect(performance.now() - abortedAt).toBeLessThan(250);
  });

  it("refuses an already aborted signal before training", async () => {
    const run = collect(trainOn(data, {}, { signal: AbortSignal.abort() }));
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("a checkpoint the trainer cannot continue", () => {
  const resume = (checkpoint: Uint8Array, overrides: Parameters<typeof trainOn>[1] = {}) =>
    collect(trainOn(data, { epochs: 2, ...overrides }, { checkpoint }));
  const refused = async (run: Promise<unknown>, message: string | RegExp) => {
    const error = await run.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(message);
  };

  it("is refused when it is not a checkpoint at all", async () => {
    await refused(
      resume(new TextEncoder().encode("hello world, not a head")),
      "not a head-trainer checkpoint: it does not start with TSHD",
    );
  });

  it("is refused when its version is unknown or it is cut short", async () => {
    const state = await checkpointOf({ hidden_units: 16 });
    const future = state.slice();
    new DataView(future.buffer).setUint32(4, 2, true);
    await refused(resume(future), "checkpoint format version 2, this trainer reads 1");
    await refused(
      resume(state.subarray(0, state.length - 4)),
      /^checkpoint has \d+ bytes, a head of sizes \[6, 16, 3\] with ADAM needs \d+$/,
    );
    await refused(resume(state.subarray(0, 10)), "checkpoint ends at byte 10, its header goes on past it");
  });

  it("is refused for a head of another shape or optimizer", async () => {
    const state = await checkpointOf({ hidden_units: 16 });
    await refused(
      resume(state, { hidden_units: 8 }),
      "checkpoint holds a head of sizes [6, 16, 3], these options train [6, 8, 3]",
    );
    await refused(
      resume(state, { optimizer: "SGD" }),
      "checkpoint was trained with ADAM, these options use SGD",
    );
  });
});

describe("inputs the trainer refuses", () => {
  const invalid = async (run: Promise<unknown>, message: string) => {
    const error = await run.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TierError);
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT", message });
  };

  it("names hyperparameters out of range", async () => {
    await invalid(collect(trainOn(data, { dropout: 1 })), "dropout must be in [0, 1), got 1");
    await invalid(collect(trainOn(data, { learning_rate: 0 })), "learning_rate must be > 0, got 0");
    await invalid(
      collect(trainOn(data, { monitor: "f1" })),
      'monitor must be one of val_loss, val_accuracy, loss, accuracy, got "f1"',
    );
    await invalid(
      collect(trainOn(data, { class_weights: [1, 2] })),
      "class_weights must have one weight per label (3), got 2",
    );
  });

  it("names samples whose shape or label does not fit", async () => {
    const short = { ...data, test: { features: [new Float32Array(5)], labels: Uint32Array.from([0]) } };
    await invalid(
      collect(trainOn(short, {})),
      "test sample 0 has 5 values, expected 6 like the first sample",
    );
    const unknownLabel = {
      ...data,
      validation: { ...data.validation, labels: data.validation.labels.map(() => 3) },
    };
    await invalid(
      collect(trainOn(unknownLabel, {})),
      "validation sample 0 has label 3, expected an index below 3",
    );
    const notFinite = {
      ...data,
      train: { ...data.train, variants: [[new Float32Array(6).fill(NaN)], ...data.train.variants.slice(1)] },
    };
    await invalid(
      collect(trainOn(notFinite, {})),
      "training sample 0 (variant 0) holds NaN; features must be finite numbers",
    );
  });
});
