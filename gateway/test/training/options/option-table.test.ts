import "reflect-metadata";
import { readFile } from "node:fs/promises";
import {
  getNamedType,
  isListType,
  isNonNullType,
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from "graphql";
import { Arg, buildSchema, Query, Resolver } from "type-graphql";
import { describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../src/errors";
import { validateSearchSpace } from "../../../src/training/search";
import { parameterDomains } from "../../../src/training/search/parameter-domains";
import type {
  SearchDimension,
  TrainingOptions as StoredOptions,
} from "../../../src/training/training-contracts";
import { defaultSearchSpace, optionEnums, trainingDefaults } from "../../../src/training/training-defaults";
import {
  describeBounds,
  searchableParameters,
  trainingOptionNames,
  trainingOptionSpec,
  withinBounds,
  type TrainingOptionName,
} from "../../../src/training/training-option-spec";
import { resolveTrainingOptions, type TrainingOptionsInput } from "../../../src/training/training-options";
import { TrainingOptions } from "../../../src/training/training-options.types";
import { TrainingInput } from "../../../src/training/training.inputs";
import { recordedHyperparameters, toHyperparameters } from "../../../src/training/worker/hyperparameters";

/**
 * The options table is the one list of training options: every vocabulary that names them (the
 * GraphQL input and output, the validation, the tier's message, a version's record) must name
 * exactly its options, so a new option cannot be left out of one. The dashboard's side is
 * web/test/unit/training/option-table.test.ts.
 */

const names = [...trainingOptionNames].sort();
const limits = { maxEpochs: 1000, maxTrials: 100 };

@Resolver()
class OptionsProbe {
  @Query(() => TrainingOptions)
  probe(@Arg("input", () => TrainingInput) _input: TrainingInput): StoredOptions {
    throw new Error("never called");
  }
}

/** TrainingInput and TrainingOptions as GraphQL builds them, apart from the rest of the schema. */
async function probeSchema() {
  const schema = await buildSchema({ resolvers: [OptionsProbe], validate: false });
  const input = schema.getType("TrainingInput") as GraphQLInputObjectType;
  const output = schema.getType("TrainingOptions") as GraphQLObjectType;
  return { schema, input: input.getFields(), output: output.getFields() };
}

/** The field's type as the table spells it: Float, Int, Boolean, String, an enum's name, [Input]. */
function typeName(type: GraphQLInputType | GraphQLOutputType): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner) ? `[${getNamedType(inner).name}]` : getNamedType(inner).name;
}

function expectedTypeName(name: TrainingOptionName): string {
  const spec = trainingOptionSpec(name);
  switch (spec.type) {
    case "float":
      return "Float";
    case "int":
      return "Int";
    case "boolean":
      return "Boolean";
    case "string":
      return "String";
    case "enum":
      return spec.enum;
    case "classWeights":
      return "[ClassWeightInput]";
    case "searchSpace":
      return "[HyperparameterRangeInput]";
  }
}

function refusal(input: TrainingOptionsInput): { code: ErrorCode; field: unknown; message: string } {
  try {
    resolveTrainingOptions(input, limits, ["cat", "dog"]);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const { code, details, message } = error as AppError;
    return { code, field: details.field, message };
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe("the options table", () => {
  it("gives every option a default within its bounds, and presets a search can use", () => {
    for (const name of trainingOptionNames) {
      const spec = trainingOptionSpec(name);
      if (spec.type === "float" || spec.type === "int") {
        expect(withinBounds(spec.bounds, spec.default), `${name} ${spec.default}`).toBe(true);
        if (spec.type === "int") expect(Number.isInteger(spec.default), name).toBe(true);
        if (spec.maxSetting) expect(spec.bounds.max, name).toBe(Infinity);
      }
      if (spec.type === "enum") expect(Object.keys(optionEnums[spec.enum]), name).toContain(spec.default);
    }
    expect(validateSearchSpace(defaultSearchSpace)).toHaveLength(defaultSearchSpace.length);
    const presets = searchableParameters.map((name) => ({ name, ...trainingOptionSpec(name).search }));
    expect(validateSearchSpace(presets as SearchDimension[])).toHaveLength(searchableParameters.length);
  });

  it("lists as searchable exactly the options with a search preset", () => {
    const withPreset = trainingOptionNames.filter((name) => trainingOptionSpec(name).search);
    expect([...searchableParameters].sort()).toEqual(withPreset.sort());
    expect(Object.keys(parameterDomains)).toEqual([...searchableParameters]);
  });

  it("is TrainingInput's options and TrainingOptions' fields, with the table's types and defaults", async () => {
    const { input, output } = await probeSchema();
    const identity = ["datasetVersionId", "baseModelVersionId", "targetModelSlug"];
    expect(Object.keys(input).filter((field) => !identity.includes(field))).toEqual(trainingOptionNames);
    expect(Object.keys(output).sort()).toEqual(names);
    for (const name of trainingOptionNames) {
      const field = input[name]!;
      expect(typeName(field.type), name).toBe(expectedTypeName(name));
      expect(isNonNullType(field.type), name).toBe(false);
      expect(field.defaultValue, name).toEqual((trainingDefaults as Record<string, unknown>)[name]);
      expect(field.description ?? undefined, name).toBe(trainingOptionSpec(name).description);
    }
  });

  it("registers the enums with the table's names (GraphQL value → stored value)", async () => {
    const { schema } = await probeSchema();
    for (const name of trainingOptionNames) {
      const spec = trainingOptionSpec(name);
      if (spec.type !== "enum") continue;
      const type = schema.getType(spec.enum) as GraphQLEnumType;
      expect(Object.fromEntries(type.getValues().map((value) => [value.name, value.value])), name).toEqual({
        ...optionEnums[spec.enum],
      });
    }
  });

  it("is what validation fills in when the input leaves everything out", () => {
    const options = resolveTrainingOptions({}, limits, ["cat", "dog"]);
    expect(Object.keys(options).sort()).toEqual(names);
    expect(options).toEqual({ ...trainingDefaults, classWeights: {}, featureOutput: null, hpSpace: [] });
  });

  it("is checked by validation: each number just outside its bounds is refused, naming the field", () => {
    const settings = { TESSERA_MAX_EPOCHS: limits.maxEpochs, TESSERA_MAX_TRIALS: limits.maxTrials };
    for (const name of trainingOptionNames) {
      const spec = trainingOptionSpec(name);
      if (spec.type !== "float" && spec.type !== "int") continue;
      const bounds = spec.maxSetting
        ? { ...spec.bounds, max: settings[spec.maxSetting], maxInclusive: true }
        : spec.bounds;
      const limit = spec.maxSetting ? ` (the server's limit, ${spec.maxSetting})` : "";
      const outside = [bounds.minInclusive ? bounds.min - 1 : bounds.min];
      if (bounds.max !== Infinity) outside.push(bounds.maxInclusive ? bounds.max + 1 : bounds.max);
      for (const value of outside) {
        expect(refusal({ [name]: value })).toEqual({
          code: ErrorCode.BAD_USER_INPUT,
          field: name,
          message: `${name} must be ${describeBounds(bounds)}${limit}, got ${value}`,
        });
      }
    }
  });

  it("refuses anything but the default of an option fixed to it", () => {
    for (const name of trainingOptionNames) {
      const spec = trainingOptionSpec(name);
      if (spec.type !== "boolean" || !spec.fixed) continue;
      expect(refusal({ [name]: !spec.default }), name).toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        field: name,
      });
    }
  });

  it("maps onto the tier's Hyperparameters message field for field", async () => {
    const proto = await readFile(
      new URL("../../../../proto/tessera/training.proto", import.meta.url),
      "utf8",
    );
    const body = /message Hyperparameters \{([^}]*)\}/.exec(proto)?.[1] ?? "";
    const fields = [...body.matchAll(/^\s*(?:repeated\s+)?\w+\s+(\w+)\s*=\s*\d+;/gm)].map(
      (match) => match[1],
    );
    expect(fields.length).toBeGreaterThan(0);
    const options: StoredOptions = {
      ...trainingDefaults,
      classWeights: {},
      featureOutput: null,
      hpSpace: [],
    };
    expect(Object.keys(toHyperparameters(options, ["cat"], [1])).sort()).toEqual(fields.sort());
  });

  it("is what a trained version records, less the search's own settings", () => {
    const options: StoredOptions = {
      ...trainingDefaults,
      classWeights: {},
      featureOutput: null,
      hpSpace: [],
    };
    const searchSettings = trainingOptionNames.filter((name) => trainingOptionSpec(name).searchSetting);
    expect(searchSettings.sort()).toEqual([
      "enableHyperparameterTuning",
      "hpSpace",
      "maxTrials",
      "pruneTrials",
      "strategy",
    ]);
    expect(Object.keys(recordedHyperparameters(options)).sort()).toEqual(
      names.filter((name) => !searchSettings.includes(name)),
    );
  });
});
