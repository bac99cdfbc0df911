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

/** A blank weight means the server's default of 1. */
function weightOf(row: MemberRow): number | undefined {
  const text = row.weight.trim();
  return text === "" ? undefined : Number(text);
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
  const badWeight = [...chosen, ...fallbacks].find((row) => {
    const weight = weightOf(row);
    return weight !== undefined && !(weight >= 0 && weight <= ensembleBounds.maxWeight);
  });
  if (badWeight) problems.weight = `Weights are numbers from 0 to ${ensembleBounds.maxWeight}.`;
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
