import { optionEnums } from "../training-defaults";
import {
  searchableParameters,
  trainingOptionSpec,
  type Bounds,
  type SearchableParameter,
} from "../training-option-spec";

/** The values a numeric hyperparameter may legally take, whatever the search space says. */
export interface NumericDomain {
  kind: "number";
  integer: boolean;
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
  /** The rule in words, for messages: "0 <= dropout < 1". */
  rule: string;
}

export interface ChoiceDomain {
  kind: "choice";
  choices: readonly string[];
  rule: string;
}

export type ParameterDomain = NumericDomain | ChoiceDomain;

function numeric(name: string, integer: boolean, bounds: Bounds): NumericDomain {
  const { min, minInclusive, max, maxInclusive } = bounds;
  const rule =
    max === Number.POSITIVE_INFINITY
      ? `${name} ${minInclusive ? ">=" : ">"} ${min}`
      : `${min} ${minInclusive ? "<=" : "<"} ${name} ${maxInclusive ? "<=" : "<"} ${max}`;
  return { kind: "number", integer, min, minInclusive, max, maxInclusive, rule };
}

function domainOf(name: SearchableParameter): ParameterDomain {
  const spec = trainingOptionSpec(name);
  if (spec.type === "float" || spec.type === "int") return numeric(name, spec.type === "int", spec.bounds);
  if (spec.type !== "enum") throw new Error(`${name} is searchable but neither a number nor an enum`);
  const choices = Object.values(optionEnums[spec.enum]);
  return { kind: "choice", choices, rule: `${name} is ${choices.join(" or ")}` };
}

/** The bounds of each searchable option, from the options table (training-option-spec.ts). */
export const parameterDomains = Object.fromEntries(
  searchableParameters.map((name) => [name, domainOf(name)]),
) as Record<SearchableParameter, ParameterDomain>;

export const integerParameters = (Object.keys(parameterDomains) as SearchableParameter[]).filter((name) => {
  const domain = parameterDomains[name];
  return domain.kind === "number" && domain.integer;
});
