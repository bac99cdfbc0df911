import { badInput } from "../../errors";
import { limits } from "../../limits";
import { searchableParameters, type SearchableParameter, type SearchDimension } from "../training-contracts";
import { withinBounds } from "../training-option-spec";
import { integerParameters, parameterDomains, type NumericDomain } from "./parameter-domains";

/** GRID's points per numeric range when the dimension names none. */
export const defaultGridSteps = 3;
const maxPoints = limits.training.searchPoints;

const knownList = searchableParameters.join(", ");

/** GraphQL hands absent input fields over as null; both mean "not given". */
const isGiven = (value: unknown) => value !== undefined && value !== null;

const describe = (value: unknown) => (typeof value === "string" ? `"${value}"` : String(value));

/**
 * Checks a search space and returns it normalised: ranges carry `min`, `max`, `logScale`,
 * `integer` and `steps`; lists carry only `values` (numbers, duplicates dropped) or `choices`.
 * Throws BAD_USER_INPUT naming the dimension (`hpSpace[i]`) and what was expected.
 */
export function validateSearchSpace(space: SearchDimension[]): SearchDimension[] {
  if (!Array.isArray(space) || space.length === 0) {
    throw badInput(
      `hpSpace is empty: hyperparameter tuning needs at least one parameter to vary (one of ${knownList})`,
      { field: "hpSpace" },
    );
  }
  const seenAt = new Map<string, number>();
  return space.map((dimension, index) => {
    const name = dimension?.name as string;
    if (!(searchableParameters as readonly string[]).includes(name)) {
      throw badInput(
        `hpSpace[${index}]: unknown parameter ${describe(name)}; known parameters are ${knownList}`,
        {
          field: `hpSpace[${index}].name`,
        },
      );
    }
    const earlier = seenAt.get(name);
    if (earlier !== undefined) {
      throw badInput(
        `hpSpace[${index}]: ${name} appears twice (also hpSpace[${earlier}]); give each parameter one dimension`,
        { field: `hpSpace[${index}].name` },
      );
    }
    seenAt.set(name, index);
    const fail = (problem: string) =>
      badInput(`hpSpace[${index}] (${name}): ${problem}`, { field: `hpSpace[${index}]` });
    return normaliseDimension(dimension, name as SearchableParameter, fail);
  });
}

type Fail = (problem: string) => Error;

function normaliseDimension(
  dimension: SearchDimension,
  name: SearchableParameter,
  fail: Fail,
): SearchDimension {
  const forms = [
    isGiven(dimension.min) || isGiven(dimension.max) ? "min/max" : null,
    isGiven(dimension.values) ? "values" : null,
    isGiven(dimension.choices) ? "choices" : null,
  ].filter((form) => form !== null);
  if (forms.length > 1) throw fail(`give one of min/max, values or choices; got ${forms.join(" and ")}`);

  const domain = parameterDomains[name];
  if (domain.kind === "choice") {
    if (forms[0] !== "choices") {
      throw fail(`${name} is picked from choices (${domain.choices.join(", ")}), not from numbers`);
    }
    rejectRangeOptions(dimension, fail);
    const choices = dimension.choices as unknown[];
    if (!Array.isArray(choices) || choices.length === 0) {
      throw fail(`choices is empty; give at least one of ${domain.choices.join(", ")}`);
    }
    if (choices.length > maxPoints)
      throw fail(`choices must have at most ${maxPoints} entries, got ${choices.length}`);
    for (const choice of choices) {
      if (!domain.choices.includes(choice as string)) {
        throw fail(`unknown choice ${describe(choice)}; expected ${domain.choices.join(" or ")}`);
      }
    }
    return { name, choices: [...new Set(choices as string[])] };
  }

  if (forms.length === 0) throw fail("give min and max (a range) or values (a list) to search over");
  if (forms[0] === "choices") {
    throw fail(`choices are only for optimizer; give ${name} as min and max, or values (numbers)`);
  }
  if (isGiven(dimension.integer) && dimension.integer && !domain.integer) {
    throw fail(`integer applies only to ${integerParameters.join(", ")}; ${name} is continuous`);
  }
  if (forms[0] === "values") {
    rejectRangeOptions(dimension, fail);
    const values = dimension.values as unknown[];
    if (!Array.isArray(values) || values.length === 0)
      throw fail("values is empty; give at least one number");
    if (values.length > maxPoints)
      throw fail(`values must have at most ${maxPoints} entries, got ${values.length}`);
    values.forEach((value) => checkNumber(value, "value", name, domain, fail));
    return { name, values: [...new Set(values as number[])] };
  }
  return normaliseRange(dimension, name, domain, fail);
}

function normaliseRange(
  dimension: SearchDimension,
  name: SearchableParameter,
  domain: NumericDomain,
  fail: Fail,
): SearchDimension {
  if (!isGiven(dimension.min) || !isGiven(dimension.max)) {
    throw fail(`a range needs both min and max; got only ${isGiven(dimension.min) ? "min" : "max"}`);
  }
  const min = checkNumber(dimension.min, "min", name, domain, fail);
  const max = checkNumber(dimension.max, "max", name, domain, fail);
  if (min > max) throw fail(`empty range: min ${min} is greater than max ${max}`);
  if (min === max && !domain.integer) {
    throw fail(
      `empty range: min and max are both ${min}; widen it, or give values: [${min}] to keep ${name} fixed`,
    );
  }
  const logScale = Boolean(dimension.logScale);
  if (logScale && min <= 0) throw fail(`logScale needs min > 0, got min ${min}`);
  const steps = isGiven(dimension.steps) ? dimension.steps : defaultGridSteps;
  if (typeof steps !== "number" || !Number.isInteger(steps) || steps < 2 || steps > maxPoints) {
    throw fail(`steps must be a whole number from 2 to ${maxPoints}, got ${describe(steps)}`);
  }
  return { name, min, max, logScale, integer: domain.integer, steps };
}

/** logScale and steps shape a min/max range; on a list they would silently mean nothing. */
function rejectRangeOptions(dimension: SearchDimension, fail: Fail) {
  for (const option of ["logScale", "steps"] as const) {
    if (isGiven(dimension[option]) && dimension[option] !== false) {
      throw fail(`${option} applies only to min/max ranges`);
    }
  }
}

function checkNumber(
  value: unknown,
  what: string,
  name: SearchableParameter,
  domain: NumericDomain,
  fail: Fail,
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw fail(`${what} must be a finite number, got ${describe(value)}`);
  }
  if (domain.integer && !Number.isInteger(value)) {
    throw fail(`${what} ${value} is not a whole number; ${name} takes whole numbers`);
  }
  if (!withinBounds(domain, value))
    throw fail(`${what} ${value} is outside the legal values (${domain.rule})`);
  return value;
}
