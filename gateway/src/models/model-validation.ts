import { badInput } from "../errors";

const SLUG = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;
const VERSION = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})$/;
const ALIAS = /^[a-z][a-z0-9_-]{0,62}$/;
const MAX_TAGS = 50;

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

export function validTags(raw: string[] | null | undefined): string[] | undefined {
  if (!raw) return undefined;
  const tags = [...new Set(raw.map((t) => t.trim()).filter(Boolean))];
  if (tags.length > MAX_TAGS || tags.some((t) => t.length > 64)) {
    throw badInput(`Give at most ${MAX_TAGS} tags of at most 64 characters each`, { field: "tags" });
  }
  return tags;
}

export function validName(raw: string | null | undefined, field = "name"): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const name = raw.trim();
  if (!name || name.length > 200) throw badInput(`"${field}" must be 1–200 characters`, { field });
  return name;
}

export function validLabels(raw: string[] | null | undefined): string[] | undefined {
  if (!raw) return undefined;
  if (raw.some((label) => label.length === 0 || label.length > 200)) {
    throw badInput("Each label must be 1–200 characters", { field: "labels" });
  }
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
  return value;
}
