import { useMutation, useQuery } from "@apollo/client/react";
import { useCallback, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import {
  StartTrainingDocument,
  TrainingDatasetVersionDocument,
  TrainingJobDetailDocument,
} from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { serverProblems } from "./field-messages";
import { StartTrainingForm } from "./start-training-form";
import { defaultTrainingForm, formFromJob, trainingInput, type TrainingForm } from "./training-form";
import { trainingFormErrors } from "./training-form-validation";
import { trainingJobPath, trainingPath } from "./training-paths";
import { useCheckedForm } from "./use-checked-form";

/** TrainingInput's fields: a server problem whose message starts with one of them lands on it. */
const INPUT_FIELDS = Object.keys({ ...defaultTrainingForm() });

function initialForm(params: URLSearchParams): TrainingForm {
  return {
    ...defaultTrainingForm(),
    datasetVersionId: params.get("datasetVersionId") ?? "",
    baseModelVersionId: params.get("baseModelVersionId") ?? "",
  };
}

/**
 * The start form. `?from=<job id>` fills it from an earlier job; `?datasetVersionId=` and
 * `?baseModelVersionId=` choose those. Checked as the person types, refused fields marked with
 * the server's reason after a submit; a started job opens its live page.
 */
export default function StartTrainingPage() {
  useDocumentTitle("Start training");
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const fromJob = params.get("from");
  const [form, setForm] = useState(() => initialForm(params));

  const origin = useQuery(TrainingJobDetailDocument, { variables: { id: fromJob ?? "" }, skip: !fromJob });
  const originJob = origin.data?.trainingJob;
  const [filledFrom, setFilledFrom] = useState<string | null>(null);
  if (originJob && filledFrom !== originJob.id) {
    setFilledFrom(originJob.id);
    setForm(
      formFromJob({
        datasetVersionId: originJob.datasetVersion?.id ?? null,
        baseModelVersionId: originJob.baseModelVersion?.id ?? null,
        targetModelSlug: originJob.targetModelSlug,
        options: originJob.options,
      }),
    );
  }

  const version = useQuery(TrainingDatasetVersionDocument, {
    variables: { id: form.datasetVersionId },
    skip: !form.datasetVersionId,
  });
  const chosenDatasetVersion = form.datasetVersionId ? (version.data?.datasetVersion ?? null) : null;
  const classes = chosenDatasetVersion?.classes.map((entry) => entry.name) ?? null;
  const {
    formRef,
    touch,
    changed,
    submitChecked,
    messages,
    problemCount,
    serverFieldProblemCount,
    otherProblems,
  } = useCheckedForm(trainingFormErrors(form, classes));

  const [start, starting] = useMutation(StartTrainingDocument);
  const change = useCallback(
    (patch: Partial<TrainingForm>) => {
      setForm((current) => ({ ...current, ...patch }));
      changed(Object.keys(patch));
    },
    [changed],
  );

  const submit = () =>
    submitChecked(
      async () => {
        const result = await start({ variables: { input: trainingInput(form) } });
        if (result.data) navigate(trainingJobPath(result.data.startTraining.id));
      },
      (error) => serverProblems(error, INPUT_FIELDS),
    );

  const crumbs = [{ label: "Training", to: trainingPath }];
  if (fromJob && origin.loading && !originJob)
    return <Skeleton lines={10} label="Loading the earlier job's options" />;
  return (
    <>
      <PageHeader title="Start training" crumbs={crumbs} />
      <p className="lead">
        Train a classifier head on the frozen features of a base model, on one version of a dataset. The
        result is registered as the next version of the target model, with its metrics and lineage.
        {originJob && " The options below come from an earlier job; change what you like."}
      </p>
      <ErrorMessage error={origin.error} />
      <StartTrainingForm
        ref={formRef}
        form={form}
        onChange={change}
        onTouched={touch}
        messages={messages}
        chosenDatasetVersion={chosenDatasetVersion}
        problemCount={problemCount}
        serverFieldProblemCount={serverFieldProblemCount}
        otherProblems={otherProblems}
        starting={starting.loading}
        onSubmit={() => void submit()}
      />
    </>
  );
}
