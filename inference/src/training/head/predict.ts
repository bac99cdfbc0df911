import { setImmediate as nextTurn } from "node:timers/promises";
import { invalidArgument } from "../../runtime/errors";
import type { HeadWeights } from "../contracts";
import { affineForward, reluForward } from "./dense-kernels";
import { denseLayout, type DenseLayout } from "./dense-layout";
import { softmaxRows } from "./softmax-loss";
import { standardiseInto } from "./standardisation";

/** Rows pushed through the head at once: enough to amortise the loops, small enough for cache. */
const inferenceRows = 64;

function flatten(head: HeadWeights): { layout: DenseLayout; parameters: Float32Array } {
  const first = head.layers[0];
  if (first === undefined) throw invalidArgument("a head needs at least one dense layer");
  const layout = denseLayout([first.inputs, ...head.layers.map((layer) => layer.outputs)]);
  const parameters = new Float32Array(layout.parameterCount);
  layout.slots.forEach((slot, index) => {
    const layer = head.layers[index]!;
    parameters.set(layer.weights, slot.weightOffset);
    parameters.set(layer.bias, slot.biasOffset);
  });
  return { layout, parameters };
}

/**
 * Class probabilities for each feature vector: standardise, dense layers with ReLU between
 * them, softmax. The trainer evaluates through this same function, so a head read back from a
 * checkpoint predicts bit for bit what the evaluation saw.
 */
export function predictProbabilities(head: HeadWeights, features: readonly Float32Array[]): Float32Array[] {
  const { layout, parameters } = flatten(head);
  const { sizes, slots } = layout;
  const dimension = sizes[0]!;
  const classes = sizes[sizes.length - 1]!;
  const standardisation = { mean: head.inputMean, scale: head.inputScale };
  const input = new Float32Array(inferenceRows * dimension);
  const activations = slots.map((slot) => new Float32Array(inferenceRows * slot.outputs));
  const output = activations[activations.length - 1]!;
  const probabilities: Float32Array[] = [];

  for (let start = 0; start < features.length; start += inferenceRows) {
    const rows = Math.min(inferenceRows, features.length - start);
    for (let row = 0; row < rows; row++) {
      const vector = features[start + row]!;
      if (vector.length !== dimension) {
        throw invalidArgument(
          `feature vector ${start + row} has ${vector.length} values, the head takes ${dimension}`,
        );
      }
      standardiseInto(vector, standardisation, input, row * dimension);
    }
    slots.forEach((slot, index) => {
      affineForward(
        index === 0 ? input : activations[index - 1]!,
        rows,
        parameters,
        slot,
        activations[index]!,
      );
      if (index < slots.length - 1) reluForward(activations[index]!, rows * slot.outputs, null);
    });
    softmaxRows(output, rows, classes, output);
    for (let row = 0; row < rows; row++) probabilities.push(output.slice(row * classes, (row + 1) * classes));
  }
  return probabilities;
}

/** Samples per slice of `predictInTurns`: a few milliseconds of work for a large head. */
const turnSamples = 256;

/**
 * predictProbabilities on slices with an event-loop turn between them, so evaluating a large
 * split neither stalls the tier nor outlives an abort. Rows do not depend on their slice: the
 * result equals predictProbabilities on the whole split bit for bit.
 */
export async function predictInTurns(
  head: HeadWeights,
  features: readonly Float32Array[],
  signal: AbortSignal,
): Promise<Float32Array[]> {
  const probabilities: Float32Array[] = [];
  for (let start = 0; start < features.length; start += turnSamples) {
    probabilities.push(...predictProbabilities(head, features.slice(start, start + turnSamples)));
    await nextTurn();
    signal.throwIfAborted();
  }
  return probabilities;
}
