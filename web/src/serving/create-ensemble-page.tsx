import { useMutation, useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";
import { CreateEnsembleDocument, EnsembleMemberChoicesDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { versionPath } from "../models/model-paths";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { CreateEnsembleForm } from "./create-ensemble-form";
import { ensembleInput, ensembleProblems, initialEnsembleForm, memberChoiceGroups } from "./ensemble-form";
import { refetchModelOf } from "./refetch-model";
import { newRemoteModelPath, servingPath } from "./serving-paths";

/** Registers an ensemble as a model version; on success, opens that version's page. */
export default function CreateEnsemblePage() {
  useDocumentTitle("Create an ensemble");
  const navigate = useNavigate();
  const [form, setForm] = useState(initialEnsembleForm);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const choices = useQuery(EnsembleMemberChoicesDocument, { fetchPolicy: "cache-and-network" });
  const groups = useMemo(
    () => memberChoiceGroups(choices.data?.models.edges.map((edge) => edge.node) ?? []),
    [choices.data],
  );
  const [create, creating] = useMutation(CreateEnsembleDocument, {
    refetchQueries: ({ data }) => refetchModelOf(data?.createEnsemble),
  });

  const submit = async () => {
    const found = ensembleProblems(form);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const result = await create({ variables: { input: ensembleInput(form) } }).catch(() => null);
    const created = result?.data?.createEnsemble;
    if (created) navigate(versionPath(created.model.owner.handle, created.model.slug, created.version));
  };

  return (
    <>
      <PageHeader title="Create an ensemble" crumbs={[{ label: "Serving", to: servingPath }]} />
      <p className="lead">
        An ensemble is a model version that asks its members in parallel and blends their answers; it deploys
        and classifies like any other version. When a member fails, the rest answer (marked degraded) and
        fallbacks step in.
      </p>
      <ErrorMessage error={choices.error} />
      {choices.loading && !choices.data ? (
        <Skeleton lines={6} label="Loading the classifiers you can pick" />
      ) : choices.data && groups.length === 0 ? (
        <EmptyState
          title="No classifiers to pick"
          action={
            <div className="button-row">
              <Link className="button" to="/models/upload">
                Upload a model
              </Link>
              <Link className="button" to={newRemoteModelPath}>
                Register a remote model
              </Link>
            </div>
          }
        >
          An ensemble blends classification models you can see: ONNX classifiers or remote models. Ensembles
          cannot be members. Upload a classifier or register a remote one, then come back.
        </EmptyState>
      ) : (
        <CreateEnsembleForm
          form={form}
          onChange={setForm}
          groups={groups}
          problems={problems}
          error={creating.error}
          saving={creating.loading}
          onSubmit={() => void submit()}
        />
      )}
    </>
  );
}
