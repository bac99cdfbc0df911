import { skipToken, useMutation, useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import {
  CreateLabelingBatchDocument,
  LabelingDiversity,
  LabelingPoolVersionDocument,
  LabelingStrategy,
} from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { DatasetChoice } from "../retraining/policy-subject-pickers";
import { DatasetVersionPicker } from "../training/dataset-version-picker";
import { ErrorMessage } from "../ui/error-message";
import { formatEnum } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import {
  batchInput,
  defaultBatchForm,
  diversityHints,
  strategyHints,
  type BatchChoices,
  type BatchForm,
  type BatchProblems,
} from "./batch-form";
import { chosenVersion, LabelingModelPicker, useLabelingModels } from "./labeling-model-picker";
import { batchPath, labelingRoot } from "./labeling-paths";

/**
 * A new batch: which model scores the pool, the pool (a dataset version's unlabeled samples, or
 * that model version's own prediction log, with the dataset its labelled images join), how items
 * are picked, and how many. `?datasetVersion=` preselects the pool, as the dataset pages link here.
 */
export default function NewBatchPage() {
  useDocumentTitle("New labelling batch");
  const id = useId();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = useState<BatchForm>(() => ({
    ...defaultBatchForm,
    datasetVersionId: params.get("datasetVersion") ?? "",
  }));
  const [problems, setProblems] = useState<BatchProblems>({});
  const [create, creation] = useMutation(CreateLabelingBatchDocument);
  const pool = useQuery(
    LabelingPoolVersionDocument,
    form.poolKind === "dataset" && form.datasetVersionId
      ? { variables: { id: form.datasetVersionId } }
      : skipToken,
  ).data?.datasetVersion;
  const model = chosenVersion(useLabelingModels().data, form.modelVersionId);
  const choices: BatchChoices = {
    trainedOnDatasetId: model ? (model.trainedOn?.dataset.id ?? null) : undefined,
  };
  // Nothing to pick from: said beside the pool, and the batch cannot be asked for.
  const emptyPool =
    form.poolKind === "dataset" && pool?.id === form.datasetVersionId && pool.unlabeledCount === 0;
  const update = (change: Partial<BatchForm>) => setForm((current) => ({ ...current, ...change }));

  const onSubmit = async () => {
    const checked = batchInput(form, choices);
    if ("problems" in checked) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    const result = await create({ variables: { input: checked.input } }).catch(() => null);
    const batch = result?.data?.createLabelingBatch;
    if (batch) navigate(batchPath(batch.id));
  };

  return (
    <>
      <PageHeader title="New labelling batch" crumbs={[{ label: "Labelling", to: labelingRoot }]} />
      <form
        className="form-grid labeling-batch-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void onSubmit();
        }}
      >
        <LabelingModelPicker
          id={`${id}-model`}
          label="Model version"
          value={form.modelVersionId}
          onChange={(modelVersionId) => update({ modelVersionId })}
          problem={problems.modelVersionId}
          hint="Its probabilities say how unsure it is of each item; its labels are the ones to give."
        />
        <fieldset>
          <legend>Pool</legend>
          <label className="field-checkbox">
            <input
              type="radio"
              name={`${id}-pool`}
              checked={form.poolKind === "dataset"}
              onChange={() => update({ poolKind: "dataset" })}
            />
            The unlabeled samples of a dataset version
          </label>
          <label className="field-checkbox">
            <input
              type="radio"
              name={`${id}-pool`}
              checked={form.poolKind === "predictions"}
              onChange={() => update({ poolKind: "predictions" })}
            />
            The model version&apos;s prediction log (images it was asked about)
          </label>
          {form.poolKind === "dataset" ? (
            <>
              <DatasetVersionPicker
                value={form.datasetVersionId}
                chosen={null}
                onChange={(datasetVersionId) => update({ datasetVersionId })}
              />
              {pool && pool.unlabeledCount > 0 && (
                <p className="hint">
                  {pool.dataset.name} v{pool.number} has {pool.unlabeledCount.toLocaleString()} unlabeled
                  sample{pool.unlabeledCount === 1 ? "" : "s"}; the labels make a new version of it.
                </p>
              )}
              {pool && emptyPool && (
                <p className="notice" role="alert">
                  {pool.dataset.name} v{pool.number} has no unlabeled samples, so there is nothing to pick
                  from. Upload images in an <code>_unlabeled/</code> folder (or a CSV split{" "}
                  <code>unlabeled</code>) as a new version, or choose another version.
                </p>
              )}
            </>
          ) : (
            <>
              <p className="hint">
                The model version above: its logged predictions without feedback whose images were kept.
              </p>
              <DatasetChoice
                label="Labelled images join"
                value={form.targetDatasetId}
                onChange={(targetDatasetId) => update({ targetDatasetId })}
                message={
                  problems.targetDatasetId ? { code: null, text: problems.targetDatasetId } : undefined
                }
                noneMeans={
                  model?.trainedOn
                    ? `${model.trainedOn.dataset.name}, which it was trained on`
                    : model
                      ? undefined
                      : "The dataset the model version was trained on"
                }
                hint="A dataset you may change: the labelled images join its newest version, as a new version."
              />
            </>
          )}
          {problems.pool && <p className="error-message">{problems.pool}</p>}
        </fieldset>
        <ChoiceField
          id={`${id}-strategy`}
          label="Pick by"
          value={form.strategy}
          options={Object.values(LabelingStrategy)}
          hints={strategyHints}
          onChange={(strategy) => update({ strategy })}
        />
        <ChoiceField
          id={`${id}-diversity`}
          label="Diversity"
          value={form.diversity}
          options={Object.values(LabelingDiversity)}
          hints={diversityHints}
          onChange={(diversity) => update({ diversity })}
        />
        <NumberField
          id={`${id}-size`}
          label="Items"
          value={form.size}
          onChange={(size) => update({ size })}
          hint="How many items the batch holds; at most as many as the pool has."
          problem={problems.size}
          min={1}
        />
        <NumberField
          id={`${id}-random`}
          label="Random picks (%)"
          value={form.randomPercent}
          onChange={(randomPercent) => update({ randomPercent })}
          hint="This share of the items is picked at random and marked, to compare with the picks by uncertainty."
          problem={problems.randomShare}
          min={0}
          max={100}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={creation.loading || emptyPool}>
            {creation.loading ? "Picking items…" : "Pick the batch"}
          </button>
        </div>
        <ErrorMessage error={creation.error} />
      </form>
    </>
  );
}

interface ChoiceFieldProps<T extends string> {
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  hints: Record<T, string>;
  onChange(value: T): void;
}

function ChoiceField<T extends string>({ id, label, value, options, hints, onChange }: ChoiceFieldProps<T>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value as T)}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {formatEnum(option)}
          </option>
        ))}
      </select>
      <p className="hint" id={`${id}-hint`}>
        {hints[value]}
      </p>
    </div>
  );
}

interface NumberFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint: string;
  problem?: string;
  min: number;
  max?: number;
}

function NumberField({ id, label, value, onChange, hint, problem, min, max }: NumberFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      {problem && <p className="error-message">{problem}</p>}
    </div>
  );
}
