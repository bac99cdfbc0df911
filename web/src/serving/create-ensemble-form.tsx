import { EnsembleBlend } from "../gql/graphql";
import { CheckboxField } from "../ui/checkbox-field";
import { TextField } from "../ui/text-field";
import {
  ensembleBounds,
  ensembleProblemPlace,
  type EnsembleForm,
  type MemberChoiceGroup,
} from "./ensemble-form";
import { MemberRows } from "./member-rows";
import { ServingFormFrame, useServingForm, type ServingFormProps } from "./serving-form";
import { blendLabels } from "./serving-words";

export interface CreateEnsembleFormProps extends ServingFormProps<EnsembleForm> {
  groups: MemberChoiceGroup[];
}

/** The server's names for this form's inputs (message-only problems are matched against them too). */
const SERVER_FIELDS = ["slug", "memberTimeoutMs", "members", "fallback"];

export function CreateEnsembleForm(props: CreateEnsembleFormProps) {
  const { form, groups, saving, onSubmit } = props;
  const { id, set, placed, other } = useServingForm(props, SERVER_FIELDS, ensembleProblemPlace(form));
  return (
    <ServingFormFrame
      label="Create an ensemble"
      submitLabel="Create the ensemble"
      savingLabel="Creating…"
      saving={saving}
      onSubmit={onSubmit}
      other={other}
    >
      <div className="form-grid">
        <TextField
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
        <TextField
          id={`${id}-timeout`}
          label="Member timeout (ms)"
          problem={placed.memberTimeoutMs}
          input={{ inputMode: "numeric" }}
          value={form.memberTimeoutMs}
          onChange={(value) => set("memberTimeoutMs", value)}
          hint={`${ensembleBounds.memberTimeoutMs.min} to ${ensembleBounds.memberTimeoutMs.max}; ${ensembleBounds.memberTimeoutMs.default} when blank. A slower member is left out of the blend`}
        />
      </div>

      <MemberRows
        id={`${id}-member`}
        legend="Members"
        noun="Member"
        list="members"
        problems={placed}
        rows={form.members}
        groups={groups}
        max={ensembleBounds.members.max}
        disabled={saving}
        onChange={(members) => set("members", members)}
      >
        {ensembleBounds.members.min} to {ensembleBounds.members.max} classifiers, run in parallel; labels are
        matched by name. Weights 0 to {ensembleBounds.maxWeight}.
      </MemberRows>

      <MemberRows
        id={`${id}-fallback`}
        legend="Fallbacks"
        noun="Fallback"
        list="fallback"
        problems={placed}
        rows={form.fallbacks}
        groups={groups}
        max={ensembleBounds.fallbacks}
        disabled={saving}
        onChange={(fallbacks) => set("fallbacks", fallbacks)}
      >
        Up to {ensembleBounds.fallbacks}; they answer only when a member fails, times out, is rate-limited or
        its circuit is open.
      </MemberRows>

      <TextField
        id={`${id}-description`}
        label="Description"
        rows={2}
        value={form.description}
        onChange={(value) => set("description", value)}
      />
      <CheckboxField
        id={`${id}-public`}
        label="Public (only for a new model): everyone signed in can see and use it"
        checked={form.isPublic}
        onChange={(checked) => set("isPublic", checked)}
      />
    </ServingFormFrame>
  );
}
