import { badInput } from "../errors";
import { checkCount, checkLength, limits } from "../limits";

const SLUG = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;
const VERSION = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})$/;
const ALIAS = /^[a-z][a-z0-9_-]{0,62}$/;

export function validSlug(raw: string): string {
  if (!SLUG.test(raw)) {
    throw badInput(
      `Slug "${raw}" is invalid: use 1–100 lowercase letters, digits, ".", "_" or "-", starting and ending with a letter or digit (like "resnet-50")`,
      { field: "slug" },
    );
  }
  return raw;
}

export function validVersionName(raw: string): string {
  if (!VERSION.test(raw)) {
    throw badInput(
      `Version "${raw}" is invalid: use up to 63 letters, digits, ".", "_" or "-" (like "v3" or "2024.1")`,
      {
        field: "version",
      },
    );
  }
  return raw;
}

export function validAlias(raw: string): string {
  if (!ALIAS.test(raw)) {
    throw badInput(`Alias "${raw}" is invalid: use a lowercase word like "production" or "staging-2"`, {
      field: "alias",
    });
  }
  return raw;
}

/** Trimmed, blanks and repeats dropped; `field` names the argument in errors (`tags[3]`). */
export function validTags(raw: string[] | null | undefined, field = "tags"): string[] | undefined {
  if (!raw) return undefined;
  const tags = [...new Set(raw.map((t) => t.trim()).filter(Boolean))];
  checkCount(field, tags, limits.tags);
  tags.forEach((tag, index) => checkLength(`${field}[${index}]`, tag, limits.tagLength));
  return tags;
}

export function validName(raw: string, field?: string): string;
export function validName(raw: string | null | undefined, field?: string): string | undefined;
export function validName(raw: string | null | undefined, field = "name"): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const name = raw.trim();
  if (!name) throw badInput(`"${field}" must not be empty`, { field });
  return checkLength(field, name, limits.nameLength);
}

/** Optional free text (description, algorithm, pythonVersion): trimmed, "" clears it. */
export function validText(
  raw: string | null | undefined,
  field: string,
  max: number = limits.nameLength,
): string | null | undefined {
  if (raw === null || raw === undefined) return raw;
  return checkLength(field, raw.trim(), max) || null;
}

export function validDependencies(raw: string[] | null | undefined): string[] | undefined {
  if (!raw) return undefined;
  checkCount("dependencies", raw, limits.dependencies);
  raw.forEach((dependency, index) => checkLength(`dependencies[${index}]`, dependency, limits.nameLength));
  return raw;
}

export function validLabels(raw: string[] | null | undefined): string[] | undefined {
  if (!raw) return undefined;
  checkCount("labels", raw, limits.labels);
  raw.forEach((label, index) => {
    if (label.length === 0) throw badInput(`labels[${index}] is empty`, { field: `labels[${index}]` });
    checkLength(`labels[${index}]`, label, limits.nameLength);
  });
  return raw;
}

export function validMetric(value: number | null | undefined, field: string): number | null | undefined {
  if (value === null || value === undefined) return value;
  if (!Number.isFinite(value)) throw badInput(`Metric "${field}" must be a finite number`, { field });
  return value;
}

export function validJsonObject(value: unknown, field: string): object | null | undefined {
  if (value === null || value === undefined) return value as null | undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw badInput(`"${field}" must be a JSON object`, { field });
  }
  return validJsonSize(value, field);
}

/** Any JSON value the client stores, at most limits.jsonBytes as JSON text. */
export function validJsonSize<T>(value: T, field: string): T {
  if (value === null || value === undefined) return value;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > limits.jsonBytes) {
    throw badInput(`${field} must be at most ${limits.jsonBytes} bytes as JSON, got ${bytes}`, { field });
  }
  return value;
}
