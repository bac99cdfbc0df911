import { badInput } from "../../errors";
import { checkRange, limits } from "../../limits";
import { MemberRole } from "../../inference/inference.types";
import { validAlias, validSlug, validText } from "../../models/model-validation";
import type { CreateEnsembleInput, EnsembleBlend, EnsembleMemberInput } from "../serving.types";

/** A member as the input names it, checked for form only (nothing looked up yet). */
export type MemberReference = { field: string; role: MemberRole; weight: number } & (
  { versionId: string; alias: null } | { versionId: null; alias: AliasReference }
);

/** "slug@alias" (the caller's model) or "handle/slug@alias". */
export interface AliasReference {
  handle: string | null;
  slug: string;
  alias: string;
  text: string;
}

export interface CheckedEnsembleInput {
  slug: string;
  blend: EnsembleBlend;
  memberTimeoutMs: number;
  description: string | null;
  isPublic: boolean | null;
  /** Members first, then fallbacks. */
  members: MemberReference[];
}

const serving = limits.serving;
const HANDLE = /^[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$/;

/** Everything about the input that can be refused before anything is looked up. */
export function checkEnsembleInput(input: CreateEnsembleInput): CheckedEnsembleInput {
  const slug = validSlug(input.slug);
  const members = input.members ?? [];
  const fallback = input.fallback ?? [];
  if (members.length < 2 || members.length > serving.ensembleMembers) {
    throw badInput(`An ensemble has 2 to ${serving.ensembleMembers} members, got ${members.length}`, {
      field: "members",
    });
  }
  if (fallback.length > serving.ensembleFallbacks) {
    throw badInput(`At most ${serving.ensembleFallbacks} fallback members, got ${fallback.length}`, {
      field: "fallback",
    });
  }
  const checked = [
    ...members.map((m, i) => memberReference(m, `members[${i}]`, MemberRole.MEMBER)),
    ...fallback.map((m, i) => memberReference(m, `fallback[${i}]`, MemberRole.FALLBACK)),
  ];
  for (const [role, field] of [
    [MemberRole.MEMBER, "members"],
    [MemberRole.FALLBACK, "fallback"],
  ] as const) {
    const listed = checked.filter((m) => m.role === role);
    if (listed.length > 0 && listed.every((m) => m.weight === 0)) {
      throw badInput(`The weights of ${field} are all 0; give at least one a positive weight`, { field });
    }
  }
  const seen = new Set<string>();
  for (const member of checked) {
    const key = member.versionId ?? member.alias!.text;
    if (seen.has(key)) throw badInput(`${member.field} names ${key} a second time`, { field: member.field });
    seen.add(key);
  }
  const timeout = serving.memberTimeoutMs;
  return {
    slug,
    blend: input.blend,
    memberTimeoutMs: checkRange(
      "memberTimeoutMs",
      input.memberTimeoutMs ?? timeout.default,
      timeout.min,
      timeout.max,
    ),
    description: validText(input.description, "description", limits.descriptionLength) ?? null,
    isPublic: input.isPublic ?? null,
    members: checked,
  };
}

function memberReference(input: EnsembleMemberInput, field: string, role: MemberRole): MemberReference {
  const weight = input.weight ?? 1;
  if (!Number.isFinite(weight) || weight < 0 || weight > serving.maxWeight) {
    throw badInput(`${field}.weight must be between 0 and ${serving.maxWeight}, got ${weight}`, {
      field: `${field}.weight`,
    });
  }
  const hasVersion = input.modelVersionId != null;
  const hasAlias = input.alias != null;
  if (hasVersion === hasAlias) {
    throw badInput(`${field}: give exactly one of modelVersionId or alias`, { field });
  }
  if (hasVersion) {
    return { field, role, weight, versionId: input.modelVersionId!, alias: null };
  }
  return { field, role, weight, versionId: null, alias: parseAlias(input.alias!, `${field}.alias`) };
}

/** "slug@alias" or "handle/slug@alias", each part in the registry's own syntax. */
export function parseAlias(text: string, field: string): AliasReference {
  const match = /^(?:([^/@]+)\/)?([^/@]+)@([^/@]+)$/.exec(text);
  const refuse = () =>
    badInput(
      `${field} "${text}" is invalid: use "slug@alias" or "handle/slug@alias" (like "alice/resnet@production")`,
      {
        field,
      },
    );
  if (!match) throw refuse();
  const [, handle, slug, alias] = match;
  if (handle !== undefined && !HANDLE.test(handle)) throw refuse();
  try {
    validSlug(slug!);
    validAlias(alias!);
  } catch {
    throw refuse();
  }
  return { handle: handle ?? null, slug: slug!, alias: alias!, text };
}
