import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { RegisterRemoteModelDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { versionPath } from "../models/model-paths";
import { PageHeader } from "../ui/page-header";
import { RegisterRemoteForm } from "./register-remote-form";
import { initialRemoteForm, remoteInput, remoteProblems } from "./remote-form";
import { refetchModelOf } from "./refetch-model";
import { servingPath } from "./serving-paths";

/** Registers an online classifier as a model version; on success, opens that version's page. */
export default function RegisterRemotePage() {
  useDocumentTitle("Register a remote model");
  const navigate = useNavigate();
  const [form, setForm] = useState(initialRemoteForm);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [register, registering] = useMutation(RegisterRemoteModelDocument, {
    refetchQueries: ({ data }) => refetchModelOf(data?.registerRemoteModel),
  });

  const submit = async () => {
    const found = remoteProblems(form);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const result = await register({ variables: { input: remoteInput(form) } }).catch(() => null);
    const created = result?.data?.registerRemoteModel;
    if (!created) return;
    // The secret leaves the page's memory once the server holds it.
    setForm(initialRemoteForm());
    navigate(versionPath(created.model.owner.handle, created.model.slug, created.version));
  };

  return (
    <>
      <PageHeader title="Register a remote model" crumbs={[{ label: "Serving", to: servingPath }]} />
      <p className="lead">
        A remote model is a version the gateway answers by calling an HTTP endpoint, behind a rate limit and a
        circuit breaker. Put it in an ensemble with offline fallbacks to keep answering when it cannot.
      </p>
      <RegisterRemoteForm
        form={form}
        onChange={setForm}
        problems={problems}
        error={registering.error}
        saving={registering.loading}
        onSubmit={() => void submit()}
      />
    </>
  );
}
