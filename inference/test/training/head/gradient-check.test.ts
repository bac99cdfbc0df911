import { describe, expect, it } from "vitest";
import { denseLayout, initialParameters } from "../../../src/training/head/dense-layout";
import { SeededRandom } from "../../../src/training/head/random";
import { TrainingPass } from "../../../src/training/head/training-pass";

/**
 * The backward pass against central finite differences of the batch loss, parameter by
 * parameter. Float32 activations limit the difference quotient to about 1e-5 relative, so the
 * check compares the whole gradient by relative error: a missing or wrong term is of order 1.
 */
function gradientCheck(sizes: number[], classWeights: number[], dropout: number) {
  const rows = 6;
  const layout = denseLayout(sizes);
  const parameters = initialParameters(layout, 7);
  const random = new SeededRandom(11);
  // Biases away from 0 keep ReLU units away from their kink, where differences would straddle it.
  for (const slot of layout.slots) {
    for (let i = 0; i < slot.outputs; i++) parameters[slot.biasOffset + i] = 0.3 * random.nextNormal();
  }
  const pass = new TrainingPass(layout, rows, dropout);
  for (let i = 0; i < pass.input.length; i++) pass.input[i] = random.nextNormal();
  const classes = sizes[sizes.length - 1]!;
  for (let row = 0; row < rows; row++) pass.labels[row] = row % classes;
  const weights = Float64Array.from(classWeights);
  // The same stream for every evaluation: the same dropout mask each time.
  const loss = () => {
    const batch = pass.run(parameters, rows, weights, new SeededRandom(5, 4, 1, 1));
    return batch.weightedLoss / batch.weightSum;
  };

  loss();
  const analytic = pass.gradients.slice();
  const numeric = new Float64Array(parameters.length);
  const step = 1e-3;
  for (let i = 0; i < parameters.length; i++) {
    const original = parameters[i]!;
    const [above, below] = [Math.fround(original + step), Math.fround(original - step)];
    parameters[i] = above;
    const up = loss();
    parameters[i] = below;
    const down = loss();
    parameters[i] = original;
    numeric[i] = (up - down) / (above - below);
  }
  let difference = 0;
  let magnitude = 0;
  for (let i = 0; i < parameters.length; i++) {
    difference += (analytic[i]! - numeric[i]!) ** 2;
    magnitude += (Math.abs(analytic[i]!) + Math.abs(numeric[i]!)) ** 2;
  }
  return Math.sqrt(difference / magnitude);
}

describe("the head's backward pass", () => {
  it("matches finite differences for a linear softmax head", () => {
    expect(gradientCheck([5, 3], [1, 1, 1], 0)).toBeLessThan(1e-3);
  });

  it("matches finite differences through one and two hidden ReLU layers", () => {
    expect(gradientCheck([5, 7, 3], [1, 1, 1], 0)).toBeLessThan(1e-3);
    expect(gradientCheck([4, 6, 5, 3], [1, 1, 1], 0)).toBeLessThan(1e-3);
  });

  it("matches finite differences with class weights and a dropout mask", () => {
    expect(gradientCheck([5, 7, 3], [0.5, 2, 3], 0)).toBeLessThan(1e-3);
    expect(gradientCheck([5, 8, 6, 3], [1, 0.25, 4], 0.4)).toBeLessThan(1e-3);
  });
});
