import { describe, expect, it } from "vitest";
import { parseActiveLearningArguments } from "../../../src/feedback/cli/active-learning-arguments";
import { UsageError } from "../../../src/cli/command-line";
import { parseLabelsArguments, parseLabelsCsv } from "../../../src/feedback/cli/labels-arguments";

const env = { TESSERA_TOKEN: "tsr_secret" };

function refused(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("npm run active-learning arguments", () => {
  const select = (args: string[], environment: Record<string, string | undefined> = env) =>
    parseActiveLearningArguments(["select", ...args], environment);

  it("takes a dataset version pool with only the required flags", () => {
    expect(select(["--model", "mv-1", "--pool", "dv-1", "--count", "10"])).toEqual({
      kind: "select",
      command: {
        url: "http://127.0.0.1:4000",
        token: "tsr_secret",
        json: false,
        input: { modelVersionId: "mv-1", pool: { datasetVersionId: "dv-1" }, size: 10 },
      },
    });
  });

  it("reads predictions:<id> pools and every option, in either flag form", () => {
    const parsed = select(
      [
        "--model=mv-1",
        "--pool",
        "predictions:mv-1",
        "--count",
        "25",
        "--strategy",
        "least-confidence",
        "--diversity=kcenter",
        "--random-share",
        "0.2",
        "--seed=-7",
        "--target-dataset",
        "ds-9",
        "--url",
        "https://tessera.example/graphql",
        "--json",
      ],
      { ...env, TESSERA_URL: "http://ignored:1" },
    );
    expect(parsed).toEqual({
      kind: "select",
      command: {
        url: "https://tessera.example",
        token: "tsr_secret",
        json: true,
        input: {
          modelVersionId: "mv-1",
          pool: { predictionsOf: "mv-1" },
          size: 25,
          strategy: "LEAST_CONFIDENCE",
          diversity: "KCENTER",
          randomShare: 0.2,
          seed: -7,
          targetDatasetId: "ds-9",
        },
      },
    });
  });

  it("refuses what the gateway would, before sending anything", () => {
    const required = ["--model", "m", "--pool", "p"];
    expect(refused(() => select(["--model", "m"]))).toBe("Missing --pool, --count");
    expect(refused(() => select([...required, "--count", "0"]))).toBe(
      '--count expects a whole number from 1 to 500, got "0"',
    );
    expect(refused(() => select([...required, "--count", "501"]))).toMatch(/from 1 to 500/);
    expect(refused(() => select([...required, "--count", "2", "--random-share", "1.5"]))).toBe(
      '--random-share expects a number from 0 to 1, got "1.5"',
    );
    expect(refused(() => select([...required, "--count", "2", "--strategy", "loud"]))).toBe(
      '--strategy expects LEAST_CONFIDENCE, MARGIN, ENTROPY, RANDOM, got "loud"',
    );
    expect(refused(() => select([...required, "--count", "2", "--target-dataset", "d"]))).toMatch(
      /applies to a predictions:<modelVersionId> pool/,
    );
    expect(refused(() => select(["--model", "m", "--pool", "predictions:", "--count", "2"]))).toMatch(
      /needs the model version id/,
    );
    expect(refused(() => select([...required, "--cout", "2"]))).toMatch(/Unknown option '--cout'/);
    expect(refused(() => select([...required, "--count", "2"], {}))).toMatch(/Set TESSERA_TOKEN/);
    expect(refused(() => parseActiveLearningArguments(["pick"], env))).toBe(
      'Unknown command "pick"; the command is select',
    );
    expect(parseActiveLearningArguments(["--help"], {})).toEqual({ kind: "help" });
  });
});

describe("npm run labels arguments and CSV", () => {
  it("takes the batch and the file", () => {
    expect(parseLabelsArguments(["submit", "--batch", "b-1", "--file", "labels.csv"], env)).toEqual({
      kind: "submit",
      command: {
        url: "http://127.0.0.1:4000",
        token: "tsr_secret",
        json: false,
        batchId: "b-1",
        file: "labels.csv",
      },
    });
    expect(refused(() => parseLabelsArguments(["submit", "--batch", "b-1"], env))).toBe("Missing --file");
    expect(refused(() => parseLabelsArguments(["--batch", "b"], env))).toMatch(/Missing the command/);
  });

  it("reads itemId,label rows with an optional header, quoting and blank lines", () => {
    const text = '\uFEFFitemId,label\r\ni-1,cat\n\n"i-2","sea lion, grey"\ni-3 , dog \n';
    expect(parseLabelsCsv(text, "l.csv")).toEqual([
      { itemId: "i-1", label: "cat" },
      { itemId: "i-2", label: "sea lion, grey" },
      { itemId: "i-3", label: "dog" },
    ]);
    expect(parseLabelsCsv("i-1,cat", "l.csv")).toEqual([{ itemId: "i-1", label: "cat" }]);
  });

  it("names the row that is not itemId,label", () => {
    expect(refused(() => parseLabelsCsv("itemId,label\ni-1,cat\ni-2\n", "l.csv"))).toBe(
      'l.csv row 3: expected "itemId,label", got "i-2"',
    );
    expect(refused(() => parseLabelsCsv("i-1,cat,extra\n", "l.csv"))).toMatch(/row 1/);
    expect(refused(() => parseLabelsCsv("itemId,label\n", "l.csv"))).toBe("l.csv has no itemId,label rows");
    expect(refused(() => parseLabelsCsv('"unterminated\n', "l.csv"))).toMatch(/is not a CSV file/);
  });
});
