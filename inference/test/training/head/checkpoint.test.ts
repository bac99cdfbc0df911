import { describe, expect, it } from "vitest";
import {
  decodeCheckpoint,
  encodeCheckpoint,
  headFromCheckpoint,
  type TrainingState,
} from "../../../src/training/head/checkpoint";
import { denseLayout } from "../../../src/training/head/dense-layout";
import { SeededRandom } from "../../../src/training/head/random";
import { clusters, collect, eventsOf, trainOn } from "./support";

function randomArray(length: number, random: SeededRandom): Float32Array {
  return Float32Array.from({ length }, () => random.nextNormal());
}

function stateOf(optimizer: "ADAM" | "SGD"): TrainingState {
  const random = new SeededRandom(3);
  const sizes = [5, 4, 3, 2];
  const count = denseLayout(sizes).parameterCount;
  return {
    epoch: 7,
    sizes,
    standardisation: { mean: randomArray(5, random), scale: randomArray(5, random) },
    parameters: randomArray(count, random),
    best: { epoch: 4, objective: 0.123456789012345, parameters: randomArray(count, random) },
    optimizer: {
      kind: optimizer,
      step: 321,
      first: randomArray(count, random),
      second: optimizer === "ADAM" ? randomArray(count, random) : new Float32Array(0),
    },
    plateau: { factor: 0.25, best: -Infinity, wait: 2 },
    earlyStopping: { best: 0.5, wait: 1, stopped: true },
  };
}

describe("checkpoints", () => {
  it.each(["ADAM", "SGD"] as const)("round-trip every field of a %s run", (optimizer) => {
    const state = stateOf(optimizer);
    const bytes = encodeCheckpoint(state);
    expect(decodeCheckpoint(bytes)).toEqual(state);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("TSHD");
  });

  it("decode from a view into a larger buffer (as gRPC hands bytes over)", () => {
    const bytes = encodeCheckpoint(stateOf("ADAM"));
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(decodeCheckpoint(padded.subarray(3))).toEqual(stateOf("ADAM"));
  });

  it("give the best weights and the standardisation as a head of separate arrays", () => {
    const state = stateOf("SGD");
    const head = headFromCheckpoint(encodeCheckpoint(state));
    expect(head.inputMean).toEqual(state.standardisation.mean);
    expect(head.inputScale).toEqual(state.standardisation.scale);
    expect(head.layers.map(({ inputs, outputs }) => [inputs, outputs])).toEqual([
      [5, 4],
      [4, 3],
      [3, 2],
    ]);
    expect(head.layers.flatMap((layer) => [...layer.weights, ...layer.bias])).toEqual([
      ...state.best.parameters,
    ]);
    for (const layer of head.layers) {
      expect(layer.weights.byteLength).toBe(layer.weights.buffer.byteLength);
      expect(layer.bias.byteLength).toBe(layer.bias.buffer.byteLength);
    }
  });

  it("standardise with the training features' mean and 1/std", async () => {
    const data = clusters({ classes: 2, dimension: 3, perClass: 10, spread: 1 });
    const [first] = eventsOf(await collect(trainOn(data, { epochs: 1 })), "checkpoint");
    const head = headFromCheckpoint(first!.state);
    const originals = data.train.variants.map((variants) => variants[0]!);
    for (let i = 0; i < 3; i++) {
      const values = originals.map((vector) => vector[i]!);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
      expect(head.inputMean[i]).toBeCloseTo(mean, 5);
      expect(head.inputScale[i]).toBeCloseTo(1 / std, 4);
    }
  });
});
