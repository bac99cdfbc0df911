import {
  EnsembleBlend,
  Framework,
  type CreateEnsembleInput,
  type EnsembleMemberChoicesQuery,
  type EnsembleMemberInput,
} from "../gql/graphql";

/** The gateway's bounds (gateway/src/limits.ts `serving`); it checks them again and names the input at fault. */
export const ensembleBounds = {
  members: { min: 2, max: 8 },
  fallbacks: 4,
  maxWeight: 1000,
  memberTimeoutMs: { min: 100, max: 60_000, default: 10_000 },
} as const;

export interface MemberRow {
  /** `version:<id>` for a fixed version, `alias:<handle>/<slug>@<alias>` to follow an alias; "" until picked. */
  choice: string;
  weight: string;
}

export interface EnsembleForm {
  slug: string;
  blend: EnsembleBlend;
  members: MemberRow[];
  fallbacks: MemberRow[];
  memberTimeoutMs: string;
  description: string;
  isPublic: boolean;
}

export const emptyMember = (): MemberRow => ({ choice: "", weight: "1" });

export const initialEnsembleForm = (): EnsembleForm => ({
  slug: "",
  blend: EnsembleBlend.Average,
  members: [emptyMember(), emptyMember()],
  fallbacks: [],
  memberTimeoutMs: "",
  description: "",
  isPublic: false,
});

export interface MemberChoice {
  value: string;
  label: string;
}

export interface MemberChoiceGroup {
  label: string;
  choices: MemberChoice[];
}

type ChoiceModel = EnsembleMemberChoicesQuery["models"]["edges"][number]["node"];

/**
 * What a member can be: each classification version you can see, newest first, and each alias of
 * the model (followed at request time). Ensembles are left out: the gateway refuses an ensemble
 * inside an ensemble.
 */
export function memberChoiceGroups(models: readonly ChoiceModel[]): MemberChoiceGroup[] {
  return models
    .filter((model) => model.framework !== Framework.Ensemble)
    .map((model) => {
      const name = `${model.owner.handle}/${model.slug}`;
      const versions = [...model.versions]
        .sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }))
        .map((version) => ({
          value: `version:${version.id}`,
          label: `${name} ${version.version}${version.labels.length > 0 ? ` · ${version.labels.length} labels` : ""}`,
        }));
      const aliases = model.aliases.map(({ alias }) => ({
        value: `alias:${name}@${alias}`,
        label: `${name}@${alias} (follows the alias)`,
      }));
      return { label: name, choices: [...aliases, ...versions] };
    })
    .filter((group) => group.choices.length > 0);
}

/** A plain decimal: what a weight is typed as (no exponent, sign or thousands separator). */
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** A blank weight means the server's default of 1; text that is not a number is NaN, never 1. */
function weightOf(row: MemberRow): number | undefined {
  const text = row.weight.trim();
  if (text === "") return undefined;
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}

/** The form's row index of each row sent, in order: the server numbers only the picked rows. */
export function pickedRows(rows: readonly MemberRow[]): number[] {
  return rows.flatMap((row, index) => (row.choice === "" ? [] : [index]));
}

const ROW_FIELD = /^(members|fallback)\[(\d+)\](?:\.(\w+))?/;

/**
 * Where a server problem shows in this form: `members[1]` (the second member sent) at that row's
 * picker, `members[0].weight` at its weight, `fallback`, `slug`… at their inputs; null for the rest.
 */
export function ensembleProblemPlace(form: EnsembleForm) {
  return (field: string): string | null => {
    const row = ROW_FIELD.exec(field);
    if (row) {
      const [, list, sent, part] = row;
      const at = pickedRows(list === "members" ? form.members : form.fallbacks)[Number(sent)];
      if (at === undefined) return list ?? null;
      return part === "weight" ? `${list}[${at}].weight` : `${list}[${at}]`;
    }
    return ["slug", "memberTimeoutMs", "members", "fallback"].includes(field) ? field : null;
  };
}

function memberInput(row: MemberRow): EnsembleMemberInput {
  const weight = weightOf(row);
  const member: EnsembleMemberInput = row.choice.startsWith("alias:")
    ? { alias: row.choice.slice("alias:".length) }
    : { modelVersionId: row.choice.slice("version:".length) };
  if (weight !== undefined) member.weight = weight;
  return member;
}

/** What is wrong before anything is sent, by input; the server checks it all again. */
export function ensembleProblems(form: EnsembleForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.slug.trim()) problems.slug = "Name the ensemble's model (its slug).";
  const chosen = form.members.filter((row) => row.choice !== "");
  const { min, max } = ensembleBounds.members;
  if (chosen.length < min || chosen.length > max)
    problems.members = `Pick ${min} to ${max} members (${chosen.length} picked).`;
  const fallbacks = form.fallbacks.filter((row) => row.choice !== "");
  if (fallbacks.length > ensembleBounds.fallbacks)
    problems.fallback = `At most ${ensembleBounds.fallbacks} fallbacks.`;
  const rows = [
    ["members", form.members],
    ["fallback", form.fallbacks],
  ] as const;
  for (const [list, listRows] of rows) {
    for (const at of pickedRows(listRows)) {
      const weight = weightOf(listRows[at]!);
      if (weight !== undefined && !(weight >= 0 && weight <= ensembleBounds.maxWeight))
        problems[`${list}[${at}].weight`] = `A number from 0 to ${ensembleBounds.maxWeight}, like 0.5.`;
    }
  }
  const timeout = form.memberTimeoutMs.trim();
  const { min: low, max: high } = ensembleBounds.memberTimeoutMs;
  if (
    timeout !== "" &&
    !(Number.isInteger(Number(timeout)) && Number(timeout) >= low && Number(timeout) <= high)
  )
    problems.memberTimeoutMs = `A whole number of milliseconds from ${low} to ${high}.`;
  return problems;
}

/** What the server is sent: unpicked rows and blank optional fields left out, so its defaults apply. */
export function ensembleInput(form: EnsembleForm): CreateEnsembleInput {
  const input: CreateEnsembleInput = {
    slug: form.slug.trim(),
    blend: form.blend,
    members: form.members.filter((row) => row.choice !== "").map(memberInput),
  };
  const fallbacks = form.fallbacks.filter((row) => row.choice !== "");
  if (fallbacks.length > 0) input.fallback = fallbacks.map(memberInput);
  if (form.memberTimeoutMs.trim()) input.memberTimeoutMs = Number(form.memberTimeoutMs.trim());
  if (form.description.trim()) input.description = form.description.trim();
  if (form.isPublic) input.isPublic = true;
  return input;
}
