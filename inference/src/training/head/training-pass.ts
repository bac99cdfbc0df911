import { accumulateGradients, affineForward, backpropagate, reluForward } from "./dense-kernels";
import type { DenseLayout } from "./dense-layout";
import type { SeededRandom } from "./random";
import { softmaxCrossEntropy, type BatchLoss } from "./softmax-loss";

/**
 * Forward and backward through the head for one mini-batch, in buffers allocated once per run.
 * Callers write the standardised batch into `input` and its labels into `labels`.
 */
export class TrainingPass {
  readonly input: Float32Array;
  readonly labels: Uint32Array;
  readonly gradients: Float32Array;
  private readonly activations: Float32Array[];
  private readonly deltas: Float32Array[];
  private readonly masks: Float32Array[];

  constructor(
    private readonly layout: DenseLayout,
    maxRows: number,
    private readonly dropout: number,
  ) {
    const { sizes, slots } = layout;
    this.input = new Float32Array(maxRows * sizes[0]!);
    this.labels = new Uint32Array(maxRows);
    this.gradients = new Float32Array(layout.parameterCount);
    this.activations = slots.map((slot) => new Float32Array(maxRows * slot.outputs));
    this.deltas = slots.map((slot) => new Float32Array(maxRows * slot.outputs));
    this.masks =
      dropout > 0 ? slots.slice(0, -1).map((slot) => new Float32Array(maxRows * slot.outputs)) : [];
  }

  /**
   * Fills `gradients` with d(batch loss)/d(parameters) for the first `rows` rows. `random` draws
   * the dropout masks (unused when dropout is 0).
   */
  run(parameters: Float32Array, rows: number, classWeights: Float64Array, random: SeededRandom): BatchLoss {
    const { slots } = this.layout;
    const last = slots.length - 1;
    for (let index = 0; index <= last; index++) {
      const slot = slots[index]!;
      const input = index === 0 ? this.input : this.activations[index - 1]!;
      const output = this.activations[index]!;
      affineForward(input, rows, parameters, slot, output);
      if (index < last)
        reluForward(output, rows * slot.outputs, this.drawMask(index, rows * slot.outputs, random));
    }

    const loss = softmaxCrossEntropy(
      this.activations[last]!,
      rows,
      slots[last]!.outputs,
      this.labels,
      classWeights,
      this.deltas[last]!,
    );

    this.gradients.fill(0);
    for (let index = last; index >= 0; index--) {
      const slot = slots[index]!;
      const input = index === 0 ? this.input : this.activations[index - 1]!;
      accumulateGradients(this.deltas[index]!, input, rows, slot, this.gradients);
      if (index > 0) {
        const mask = this.masks[index - 1] ?? null;
        backpropagate(this.deltas[index]!, rows, parameters, slot, input, mask, this.deltas[index - 1]!);
      }
    }
    return loss;
  }

  private drawMask(layer: number, count: number, random: SeededRandom): Float32Array | null {
    const mask = this.masks[layer];
    if (mask === undefined) return null;
    const kept = 1 / (1 - this.dropout);
    for (let i = 0; i < count; i++) mask[i] = random.nextFloat() < this.dropout ? 0 : kept;
    return mask;
  }
}
