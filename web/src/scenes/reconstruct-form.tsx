import { useMutation } from "@apollo/client/react";
import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { ReconstructionMethod, StartReconstructionDocument } from "../gql/graphql";
import { reconstructionPath } from "../reconstructions/reconstruction-paths";
import { CheckboxField } from "../ui/checkbox-field";
import { ErrorMessage } from "../ui/error-message";
import { formatEnum } from "../ui/format";
import { ModelVersionPicker } from "./model-version-picker";
import {
  emptyReconstructForm,
  methodInputs,
  PROMPT_MAX_LENGTH,
  radianceFieldSettingBounds,
  reconstructionInput,
  reconstructProblems,
  settingNames,
  type FormProblems,
  type ReconstructForm as Form,
} from "./reconstruct-request";

/** The radiance field first: with a scene, it is what the person came for. */
const ALL_METHODS = [
  ReconstructionMethod.RadianceField,
  ReconstructionMethod.DepthMesh,
  ReconstructionMethod.ImageTo_3D,
  ReconstructionMethod.TextTo_3D,
];

const METHOD_NOTES: Record<ReconstructionMethod, string> = {
  [ReconstructionMethod.RadianceField]:
    "A voxel radiance field optimised on the tier's CPUs from this scene's posed photos, then meshed",
  [ReconstructionMethod.DepthMesh]: "One image through a depth model, as a 2.5D height-field mesh",
  [ReconstructionMethod.TextTo_3D]: "A generative model on a GPU backend turns a prompt into a mesh",
  [ReconstructionMethod.ImageTo_3D]: "A generative model on a GPU backend turns one image into a mesh",
};

/**
 * Starts a reconstruction and opens its page. With a scene, the radiance field is offered first;
 * the other methods take an image or a prompt and a model version from the registry.
 */
export function ReconstructForm({
  sceneId = null,
  sceneBackground = "#ffffff",
  methods = ALL_METHODS,
}: {
  sceneId?: string | null;
  sceneBackground?: string;
  methods?: readonly ReconstructionMethod[];
}) {
  const id = useId();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>(() => emptyReconstructForm(methods[0]!, sceneBackground));
  const [problems, setProblems] = useState<FormProblems>({});
  const [start, { loading, error }] = useMutation(StartReconstructionDocument);
  const needs = methodInputs[form.method];
  const set = (change: Partial<Form>) => setForm({ ...form, ...change });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = reconstructProblems(form, sceneId);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const answer = await start({ variables: { input: reconstructionInput(form, sceneId) } }).catch(
      () => null,
    );
    const started = answer?.data?.startReconstruction;
    if (started) navigate(reconstructionPath(started.id));
  };

  return (
    <form
      className="reconstruct-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label="Reconstruct"
    >
      <fieldset>
        <legend>Method</legend>
        {methods.map((method) => (
          <div className="method-choice" key={method}>
            <input
              type="radio"
              id={`${id}-${method}`}
              name={`${id}-method`}
              checked={form.method === method}
              onChange={() => {
                setProblems({});
                set({ method, modelVersionId: "" });
              }}
            />
            <label htmlFor={`${id}-${method}`}>
              {formatEnum(method)} <span className="muted">— {METHOD_NOTES[method]}</span>
            </label>
          </div>
        ))}
      </fieldset>

      {form.method === ReconstructionMethod.RadianceField && (
        <fieldset>
          <legend>Settings</legend>
          <p className="hint">Leave a setting empty for its default.</p>
          <div className="form-grid">
            {settingNames.map((name) => {
              const bound = radianceFieldSettingBounds[name];
              return (
                <div className="field" key={name}>
                  <label htmlFor={`${id}-${name}`}>{settingLabels[name]}</label>
                  <input
                    id={`${id}-${name}`}
                    type="number"
                    inputMode="numeric"
                    min={bound.min}
                    max={bound.max}
                    step={1}
                    placeholder={String(bound.default)}
                    value={form.settings[name]}
                    aria-invalid={problems[name] ? true : undefined}
                    aria-describedby={`${id}-${name}-hint`}
                    onChange={(event) => set({ settings: { ...form.settings, [name]: event.target.value } })}
                  />
                  <p className="hint" id={`${id}-${name}-hint`}>
                    {bound.description}; default {bound.default.toLocaleString()},{" "}
                    {bound.min.toLocaleString()}–{bound.max.toLocaleString()}
                  </p>
                  {problems[name] && <p className="error-message">{problems[name]}</p>}
                </div>
              );
            })}
            <div className="field">
              <label htmlFor={`${id}-background`}>Background</label>
              <input
                id={`${id}-background`}
                type="color"
                value={form.background}
                onChange={(event) => set({ background: event.target.value })}
              />
              <p className="hint">Behind the field in renders and metrics; the scene's own by default</p>
            </div>
          </div>
          <CheckboxField
            id={`${id}-view-dependent`}
            label="View-dependent colour (degree-1 spherical harmonics; four times the colour memory)"
            checked={form.viewDependent}
            onChange={(viewDependent) => set({ viewDependent })}
          />
        </fieldset>
      )}

      {needs.model !== "none" && (
        <ModelVersionPicker
          id={`${id}-model`}
          method={form.method}
          required={needs.model === "required"}
          value={form.modelVersionId}
          problem={problems.modelVersionId}
          onChange={(modelVersionId) => set({ modelVersionId })}
        />
      )}
      {needs.image && (
        <div className="field">
          <label htmlFor={`${id}-image`}>Image</label>
          <input
            id={`${id}-image`}
            type="file"
            accept="image/png,image/jpeg,image/webp"
            onChange={(event) => set({ image: event.target.files?.[0] ?? null })}
          />
          {problems.image && <p className="error-message">{problems.image}</p>}
        </div>
      )}
      {needs.prompt && (
        <div className="field">
          <label htmlFor={`${id}-prompt`}>Prompt</label>
          <textarea
            id={`${id}-prompt`}
            rows={2}
            maxLength={PROMPT_MAX_LENGTH}
            value={form.prompt}
            aria-invalid={problems.prompt ? true : undefined}
            onChange={(event) => set({ prompt: event.target.value })}
          />
          {problems.prompt && <p className="error-message">{problems.prompt}</p>}
        </div>
      )}
      {problems.scene && <p className="error-message">{problems.scene}</p>}
      <div className="button-row">
        <button type="submit" className="primary" disabled={loading}>
          {loading ? "Starting…" : "Start reconstruction"}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}

const settingLabels: Record<(typeof settingNames)[number], string> = {
  gridResolution: "Grid resolution",
  steps: "Steps",
  raysPerBatch: "Rays per batch",
  samplesPerRay: "Samples per ray",
  seed: "Seed",
};
