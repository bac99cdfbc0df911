import { describe, expect, it } from "vitest";
import { parseTrainArguments, UsageError } from "../../../src/training/cli/train-arguments";

const required = ["--dataset", "ds-1", "--model", "base-1", "--target", "texture-classifier"];
const env = { TESSERA_TOKEN: "tsr_secret" };

const parse = (args: string[], environment: Record<string, string | undefined> = env) =>
  parseTrainArguments(args, environment);

function usageError(args: string[], environment: Record<string, string | undefined> = env): string {
  try {
    parse(args, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${args.join(" ")} to be refused`);
}

describe("npm run train arguments", () => {
  it("needs only the dataset, the base model and the target; the gateway defaults the rest", () => {
    expect(parse(required)).toEqual({
      kind: "train",
      command: {
        url: "http://127.0.0.1:4000",
        token: "tsr_secret",
        json: false,
        input: {
          datasetVersionId: "ds-1",
          baseModelVersionId: "base-1",
          targetModelSlug: "texture-classifier",
        },
      },
    });
  });

  it("maps each flag onto its TrainingInput field, in either --flag value or --flag=value form", () => {
    const parsed = parse([
      ...required,
      "--epochs",
      "12",
      "--learning-rate=0.005",
      "--batch-size",
      "16",
      "--validation-split",
      "0.25",
      "--seed",
      "7",
      "--augment",
      "--optimize-hyperparams",
      "--strategy",
      "random",
      "--max-trials",
      "6",
      "--json",
    ]);
    expect(parsed).toMatchObject({
      command: {
        json: true,
        input: {
          epochs: 12,
          learningRate: 0.005,
          batchSize: 16,
          validationSplit: 0.25,
          seed: 7,
          enableDataAugmentation: true,
          enableHyperparameterTuning: true,
          strategy: "RANDOM",
          maxTrials: 6,
        },
      },
    });
  });

  it("asks for help with --help or -h, whatever else is missing", () => {
    expect(parse(["--help"], {})).toEqual({ kind: "help" });
    expect(parse(["-h"], {})).toEqual({ kind: "help" });
  });

  it("finds the gateway in --url, else TESSERA_URL, else on this machine at PORT", () => {
    const url = (args: string[], environment: Record<string, string>) =>
      (parse([...required, ...args], { ...env, ...environment }) as { command: { url: string } }).command.url;
    expect(url([], { PORT: "4100" })).toBe("http://127.0.0.1:4100");
    expect(url([], { TESSERA_URL: "https://tessera.example.org/", PORT: "4100" })).toBe(
      "https://tessera.example.org",
    );
    expect(url(["--url", "http://10.0.0.5:4000/graphql"], { TESSERA_URL: "http://other" })).toBe(
      "http://10.0.0.5:4000",
    );
  });

  it("refuses what it cannot send, naming the flag and what came", () => {
    expect(usageError(["--dataset", "ds-1"])).toBe("Missing --model, --target");
    expect(usageError([...required, "--epochs", "0"])).toBe("--epochs expects 1 or more, got 0");
    expect(usageError([...required, "--epochs", "2.5"])).toBe('--epochs expects a whole number, got "2.5"');
    expect(usageError([...required, "--batch-size", "many"])).toBe(
      '--batch-size expects a number, got "many"',
    );
    expect(usageError([...required, "--learning-rate=-0.1"])).toBe(
      "--learning-rate expects a number above 0, got -0.1",
    );
    expect(usageError([...required, "--validation-split", "1"])).toBe(
      "--validation-split expects a number between 0 and 1, got 1",
    );
    expect(usageError([...required, "--optimize-hyperparams", "--strategy", "genetic"])).toBe(
      '--strategy expects GRID, RANDOM, BAYESIAN, got "genetic"',
    );
    expect(usageError([...required, "--max-trials", "5"])).toBe(
      "--max-trials applies to a hyperparameter search: add --optimize-hyperparams",
    );
    expect(usageError([...required, "--url", "ftp://host"])).toBe(
      '--url expects an http(s) URL, got "ftp://host"',
    );
    expect(usageError([...required, "--epoch", "3"])).toMatch(/Unknown option '--epoch'/);
    expect(usageError([...required, "extra"])).toMatch(/Unexpected argument 'extra'/);
    expect(usageError([...required, "--epochs"])).toMatch(/--epochs <value>' argument missing/);
  });

  it("needs a token in TESSERA_TOKEN", () => {
    expect(usageError(required, {})).toBe(
      "Set TESSERA_TOKEN to an API token of yours (the gateway refuses requests without one)",
    );
    expect(usageError(required, { TESSERA_TOKEN: "  " })).toMatch(/^Set TESSERA_TOKEN/);
  });
});
