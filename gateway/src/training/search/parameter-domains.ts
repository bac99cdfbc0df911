import { limits } from "../../limits";
import type { SearchableParameter } from "../training-contracts";

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

function numeric(
  name: string,
  integer: boolean,
  [min, minInclusive]: [number, boolean],
  [max, maxInclusive]: [number, boolean] = [Number.POSITIVE_INFINITY, false],
): NumericDomain {
  const rule =
    max === Number.POSITIVE_INFINITY
      ? `${name} ${minInclusive ? ">=" : ">"} ${min}`
      : `${min} ${minInclusive ? "<=" : "<"} ${name} ${maxInclusive ? "<=" : "<"} ${max}`;
  return { kind: "number", integer, min, minInclusive, max, maxInclusive, rule };
}

export const optimizerChoices = ["SGD", "ADAM"] as const;

export const parameterDomains: Record<SearchableParameter, ParameterDomain> = {
  learningRate: numeric("learningRate", false, [0, false]),
  batchSize: numeric("batchSize", true, [1, true], [limits.training.batchSize, true]),
  dropout: numeric("dropout", false, [0, true], [1, false]),
  trainableLayersCount: numeric(
    "trainableLayersCount",
    true,
    [0, true],
    [limits.training.hiddenLayers, true],
  ),
  hiddenUnits: numeric("hiddenUnits", true, [1, true], [limits.training.hiddenUnits, true]),
  weightDecay: numeric("weightDecay", false, [0, true]),
  momentum: numeric("momentum", false, [0, true], [1, false]),
  optimizer: { kind: "choice", choices: optimizerChoices, rule: "optimizer is SGD or ADAM" },
};

export const integerParameters = (Object.keys(parameterDomains) as SearchableParameter[]).filter((name) => {
  const domain = parameterDomains[name];
  return domain.kind === "number" && domain.integer;
});

export function withinDomain(domain: NumericDomain, value: number): boolean {
  const aboveMin = domain.minInclusive ? value >= domain.min : value > domain.min;
  const belowMax = domain.maxInclusive ? value <= domain.max : value < domain.max;
  return aboveMin && belowMax;
}
