import { useId, type FormEvent } from "react";
import { EnsembleBlend } from "../gql/graphql";
import { CheckboxField } from "../ui/checkbox-field";
import {
  emptyMember,
  ensembleBounds,
  ensembleProblemPlace,
  type EnsembleForm,
  type MemberChoiceGroup,
} from "./ensemble-form";
import {
  describedBy,
  FieldProblemText,
  OtherProblems,
  placeProblems,
  type FieldProblem,
} from "./form-problem";
import { MemberRows } from "./member-rows";
import { ServingField } from "./serving-field";
import { blendLabels } from "./serving-words";

export interface CreateEnsembleFormProps {
  form: EnsembleForm;
  onChange(form: EnsembleForm): void;
  groups: MemberChoiceGroup[];
  /** What the form found wrong before sending, by input (`members[1].weight` for a row's weight). */
  problems: Record<string, string>;
  /** The server's refusal: its code and message, at the input or row it names or under the button. */
  error: unknown;
  saving: boolean;
  onSubmit(): void;
}

/** The server's names for this form's inputs (message-only problems are matched against them too). */
const SERVER_FIELDS = ["slug", "memberTimeoutMs", "members", "fallback"];

export function CreateEnsembleForm({
  form,
  onChange,
  groups,
  problems,
  error,
  saving,
  onSubmit,
}: CreateEnsembleFormProps) {
  const id = useId();
  const set = <K extends keyof EnsembleForm>(key: K, value: EnsembleForm[K]) =>
    onChange({ ...form, [key]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  const server = placeProblems(error, SERVER_FIELDS, ensembleProblemPlace(form));
  const keys = new Set([...Object.keys(problems), ...Object.keys(server.at)]);
  const placed: Record<string, FieldProblem> = Object.fromEntries(
    [...keys].map((key) => [key, { client: problems[key], server: server.at[key] }]),
  );
  return (
    <form className="serving-form" onSubmit={submit} noValidate aria-label="Create an ensemble">
      <div className="form-grid">
        <ServingField
          id={`${id}-slug`}
          label="Slug"
          required
          problem={placed.slug}
          value={form.slug}
          onChange={(value) => set("slug", value)}
          hint="A new model, or a new version of your ensemble with this slug"
        />
        <div className="field">
          <label htmlFor={`${id}-blend`}>Blend</label>
          <select
            id={`${id}-blend`}
            value={form.blend}
            onChange={(event) => set("blend", event.target.value as EnsembleBlend)}
          >
            {Object.values(EnsembleBlend).map((blend) => (
              <option key={blend} value={blend}>
                {blendLabels[blend]}
              </option>
            ))}
          </select>
        </div>
        <ServingField
          id={`${id}-timeout`}
          label="Member timeout (ms)"
          problem={placed.memberTimeoutMs}
          input={{ inputMode: "numeric" }}
          value={form.memberTimeoutMs}
          onChange={(value) => set("memberTimeoutMs", value)}
          hint={`${ensembleBounds.memberTimeoutMs.min} to ${ensembleBounds.memberTimeoutMs.max}; ${ensembleBounds.memberTimeoutMs.default} when blank. A slower member is left out of the blend`}
        />
      </div>

      <fieldset aria-describedby={describedBy(`${id}-members`, false, placed.members)}>
        <legend>Members</legend>
        <p className="hint">
          {ensembleBounds.members.min} to {ensembleBounds.members.max} classifiers, run in parallel; labels
          are matched by name. Weights 0 to {ensembleBounds.maxWeight}.
        </p>
        <MemberRows
          id={`${id}-member`}
          noun="Member"
          list="members"
          problems={placed}
          rows={form.members}
          groups={groups}
          max={ensembleBounds.members.max}
          disabled={saving}
          onChange={(members) => set("members", members)}
          onAdd={() => set("members", [...form.members, emptyMember()])}
        />
        <FieldProblemText id={`${id}-members`} problem={placed.members} />
      </fieldset>

      <fieldset aria-describedby={describedBy(`${id}-fallbacks`, false, placed.fallback)}>
        <legend>Fallbacks</legend>
        <p className="hint">
          Up to {ensembleBounds.fallbacks}; they answer only when a member fails, times out, is rate-limited
          or its circuit is open.
        </p>
        <MemberRows
          id={`${id}-fallback`}
          noun="Fallback"
          list="fallback"
          problems={placed}
          rows={form.fallbacks}
          groups={groups}
          max={ensembleBounds.fallbacks}
          disabled={saving}
          onChange={(fallbacks) => set("fallbacks", fallbacks)}
          onAdd={() => set("fallbacks", [...form.fallbacks, emptyMember()])}
        />
        <FieldProblemText id={`${id}-fallbacks`} problem={placed.fallback} />
      </fieldset>

      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={form.description}
          onChange={(event) => set("description", event.target.value)}
        />
      </div>
      <CheckboxField
        id={`${id}-public`}
        label="Public (only for a new model): everyone signed in can see and use it"
        checked={form.isPublic}
        onChange={(checked) => set("isPublic", checked)}
      />
      <div className="button-row">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? "Creating…" : "Create the ensemble"}
        </button>
      </div>
      <OtherProblems problems={server.other} />
    </form>
  );
}
