import { invalidArgument } from "./errors";

/**
 * Reads JSON written by people (a Triton model configuration) with messages that name the field
 * at fault by its path ("config.input[0].dims[1]") and say what was expected and what came.
 */
export type JsonObject = Record<string, unknown>;

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  return JSON.stringify(value) ?? String(value);
}

export function readObject(value: unknown, path: string): JsonObject {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as JsonObject;
  throw invalidArgument(`${path} must be an object, got ${describeValue(value)}`);
}

/** An array of at most `max` items. */
export function readArray(value: unknown, path: string, max = Number.MAX_SAFE_INTEGER): unknown[] {
  if (!Array.isArray(value)) throw invalidArgument(`${path} must be an array, got ${describeValue(value)}`);
  if (value.length > max)
    throw invalidArgument(`${path} must have at most ${max} entries, got ${value.length}`);
  return value;
}

/** A string of at most `max` characters. */
export function readBoundedString(value: unknown, path: string, max: number): string {
  const text = readString(value, path);
  if (text.length > max)
    throw invalidArgument(`${path} must be at most ${max} characters long, got ${text.length}`);
  return text;
}

export function readString(value: unknown, path: string): string {
  if (typeof value === "string") return value;
  throw invalidArgument(`${path} must be a string, got ${describeValue(value)}`);
}

export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value === "boolean") return value;
  throw invalidArgument(`${path} must be true or false, got ${describeValue(value)}`);
}

/** An integer in [min, max]; protobuf's JSON form writes 64-bit integers as strings, so "8" is 8. */
export function readInteger(
  value: unknown,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number === "number" && Number.isSafeInteger(number) && number >= min && number <= max) {
    return number;
  }
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `between ${min} and ${max}`;
  throw invalidArgument(`${path} must be an integer ${range}, got ${describeValue(value)}`);
}

export function readOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidArgument(`${path} must be one of ${allowed.join(", ")}, got ${describeValue(value)}`);
}

/** Rejects keys outside `known`, so a misspelt setting fails instead of being silently ignored. */
export function rejectUnknownKeys(object: JsonObject, path: string, known: readonly string[]): void {
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  throw invalidArgument(
    `${path} has ${unknown.map((key) => `"${key}"`).join(", ")}, which this tier does not support; ` +
      `supported: ${known.join(", ")}`,
  );
}
