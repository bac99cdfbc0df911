import { useMutation, useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { CreateEnsembleDocument, EnsembleMemberChoicesDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { versionPath } from "../models/model-paths";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { CreateEnsembleForm } from "./create-ensemble-form";
import { ensembleInput, ensembleProblems, initialEnsembleForm, memberChoiceGroups } from "./ensemble-form";
import { servingPath } from "./serving-paths";

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
  const [create, creating] = useMutation(CreateEnsembleDocument);

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
      <CreateEnsembleForm
        form={form}
        onChange={setForm}
        groups={groups}
        problems={problems}
        error={creating.error}
        saving={creating.loading}
        onSubmit={() => void submit()}
      />
    </>
  );
}
