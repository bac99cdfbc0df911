import { describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../src/errors";
import { validateSearchSpace } from "../../../src/training/search";
import type { SearchDimension } from "../../../src/training/training-contracts";

/** The error a space is refused with, as the user sees it. */
function refusal(space: unknown): { code: ErrorCode; message: string } {
  try {
    validateSearchSpace(space as SearchDimension[]);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const { code, message } = error as AppError;
    return { code, message };
  }
  throw new Error("the space was accepted");
}

const refused = (message: string) => ({ code: ErrorCode.BAD_USER_INPUT, message });

describe("validateSearchSpace", () => {
  it("normalises ranges and lists", () => {
    expect(
      validateSearchSpace([
        { name: "learningRate", min: 1e-4, max: 1e-1, logScale: true },
        { name: "batchSize", min: 16, max: 64, steps: 4 },
        { name: "dropout", values: [0.1, 0.3, 0.1] },
        { name: "optimizer", choices: ["ADAM", "SGD", "ADAM"] },
        { name: "trainableLayersCount", min: 2, max: 2 },
      ]),
    ).toEqual([
      { name: "learningRate", min: 1e-4, max: 1e-1, logScale: true, integer: false, steps: 3 },
      { name: "batchSize", min: 16, max: 64, logScale: false, integer: true, steps: 4 },
      { name: "dropout", values: [0.1, 0.3] },
      { name: "optimizer", choices: ["ADAM", "SGD"] },
      { name: "trainableLayersCount", min: 2, max: 2, logScale: false, integer: true, steps: 3 },
    ]);
  });

  it("treats GraphQL's null fields as absent and is idempotent", () => {
    const raw = {
      name: "momentum",
      min: 0,
      max: 0.9,
      logScale: null,
      steps: null,
      values: null,
      choices: null,
    };
    const once = validateSearchSpace([raw as unknown as SearchDimension]);
    expect(once).toEqual([{ name: "momentum", min: 0, max: 0.9, logScale: false, integer: false, steps: 3 }]);
    expect(validateSearchSpace(once)).toEqual(once);
  });

  it.each<[string, unknown, string]>([
    [
      "an empty space",
      [],
      "hpSpace is empty: hyperparameter tuning needs at least one parameter to vary (one of learningRate, batchSize, dropout, trainableLayersCount, hiddenUnits, weightDecay, momentum, optimizer)",
    ],
    [
      "an unknown parameter",
      [{ name: "lr", min: 0.1, max: 1 }],
      'hpSpace[0]: unknown parameter "lr"; known parameters are learningRate, batchSize, dropout, trainableLayersCount, hiddenUnits, weightDecay, momentum, optimizer',
    ],
    [
      "a duplicate parameter",
      [
        { name: "dropout", min: 0, max: 0.5 },
        { name: "momentum", min: 0, max: 0.9 },
        { name: "dropout", values: [0.2] },
      ],
      "hpSpace[2]: dropout appears twice (also hpSpace[0]); give each parameter one dimension",
    ],
    [
      "a range and a list at once",
      [{ name: "dropout", min: 0, max: 0.5, values: [0.1] }],
      "hpSpace[0] (dropout): give one of min/max, values or choices; got min/max and values",
    ],
    [
      "nothing to search over",
      [{ name: "dropout" }],
      "hpSpace[0] (dropout): give min and max (a range) or values (a list) to search over",
    ],
    [
      "half a range",
      [{ name: "learningRate", min: 0.01 }],
      "hpSpace[0] (learningRate): a range needs both min and max; got only min",
    ],
    [
      "min above max",
      [{ name: "dropout", min: 0.5, max: 0.1 }],
      "hpSpace[0] (dropout): empty range: min 0.5 is greater than max 0.1",
    ],
    [
      "min equal to max on a continuous range",
      [{ name: "dropout", min: 0.3, max: 0.3 }],
      "hpSpace[0] (dropout): empty range: min and max are both 0.3; widen it, or give values: [0.3] to keep dropout fixed",
    ],
    [
      "empty values",
      [{ name: "dropout", values: [] }],
      "hpSpace[0] (dropout): values is empty; give at least one number",
    ],
    [
      "empty choices",
      [{ name: "optimizer", choices: [] }],
      "hpSpace[0] (optimizer): choices is empty; give at least one of SGD, ADAM",
    ],
    [
      "logScale from zero",
      [{ name: "weightDecay", min: 0, max: 0.01, logScale: true }],
      "hpSpace[0] (weightDecay): logScale needs min > 0, got min 0",
    ],
    [
      "logScale on a list",
      [{ name: "dropout", values: [0.1, 0.2], logScale: true }],
      "hpSpace[0] (dropout): logScale applies only to min/max ranges",
    ],
    [
      "steps on a list",
      [{ name: "optimizer", choices: ["SGD"], steps: 2 }],
      "hpSpace[0] (optimizer): steps applies only to min/max ranges",
    ],
    [
      "a single grid step",
      [{ name: "dropout", min: 0, max: 0.5, steps: 1 }],
      "hpSpace[0] (dropout): steps must be a whole number from 2 to 100, got 1",
    ],
    [
      "a fractional bound on a whole-number parameter",
      [{ name: "batchSize", min: 1.5, max: 64 }],
      "hpSpace[0] (batchSize): min 1.5 is not a whole number; batchSize takes whole numbers",
    ],
    [
      "a fractional value of a whole-number parameter",
      [{ name: "hiddenUnits", values: [64, 96.5] }],
      "hpSpace[0] (hiddenUnits): value 96.5 is not a whole number; hiddenUnits takes whole numbers",
    ],
    [
      "integer on a continuous parameter",
      [{ name: "dropout", min: 0, max: 0.5, integer: true }],
      "hpSpace[0] (dropout): integer applies only to batchSize, trainableLayersCount, hiddenUnits; dropout is continuous",
    ],
    [
      "choices for a numeric parameter",
      [{ name: "learningRate", choices: ["0.1"] }],
      "hpSpace[0] (learningRate): choices are only for optimizer; give learningRate as min and max, or values (numbers)",
    ],
    [
      "numbers for the optimizer",
      [{ name: "optimizer", values: [1, 2] }],
      "hpSpace[0] (optimizer): optimizer is picked from choices (SGD, ADAM), not from numbers",
    ],
    [
      "an unknown optimizer",
      [{ name: "optimizer", choices: ["SGD", "RMSPROP"] }],
      'hpSpace[0] (optimizer): unknown choice "RMSPROP"; expected SGD or ADAM',
    ],
    [
      "a value that is not a number",
      [{ name: "momentum", min: 0, max: Number.NaN }],
      "hpSpace[0] (momentum): max must be a finite number, got NaN",
    ],
    [
      "a learning rate of zero",
      [{ name: "learningRate", min: 0, max: 0.1 }],
      "hpSpace[0] (learningRate): min 0 is outside the legal values (learningRate > 0)",
    ],
    [
      "dropout reaching 1",
      [{ name: "dropout", min: 0.5, max: 1 }],
      "hpSpace[0] (dropout): max 1 is outside the legal values (0 <= dropout < 1)",
    ],
    [
      "a batch size of zero",
      [{ name: "batchSize", values: [0, 32] }],
      "hpSpace[0] (batchSize): value 0 is outside the legal values (1 <= batchSize <= 1024)",
    ],
    [
      "more than 8 trainable layers",
      [{ name: "trainableLayersCount", min: 1, max: 9 }],
      "hpSpace[0] (trainableLayersCount): max 9 is outside the legal values (0 <= trainableLayersCount <= 8)",
    ],
    [
      "more than 4096 hidden units",
      [{ name: "hiddenUnits", min: 64, max: 8192, logScale: true }],
      "hpSpace[0] (hiddenUnits): max 8192 is outside the legal values (1 <= hiddenUnits <= 4096)",
    ],
    [
      "a negative weight decay",
      [{ name: "weightDecay", min: -0.01, max: 0.01 }],
      "hpSpace[0] (weightDecay): min -0.01 is outside the legal values (weightDecay >= 0)",
    ],
    [
      "momentum of 1",
      [{ name: "momentum", values: [0.9, 1] }],
      "hpSpace[0] (momentum): value 1 is outside the legal values (0 <= momentum < 1)",
    ],
  ])("refuses %s", (_, space, message) => {
    expect(refusal(space)).toEqual(refused(message));
  });

  it("names the dimension at fault in the error's details", () => {
    try {
      validateSearchSpace([
        { name: "dropout", min: 0, max: 0.5 },
        { name: "momentum", min: 0.5, max: 0.1 },
      ]);
    } catch (error) {
      expect((error as AppError).details).toEqual({ field: "hpSpace[1]" });
      return;
    }
    throw new Error("the space was accepted");
  });
});
