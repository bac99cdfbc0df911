import { useMutation } from "@apollo/client/react";
import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { ImportModelPackageDocument } from "../gql/graphql";
import { versionPath } from "../models/model-paths";
import { ErrorMessage } from "../ui/error-message";
import { FileDropZone } from "../ui/file-drop-zone";
import { PickedFileList } from "../ui/picked-file-list";
import { TextField } from "../ui/text-field";
import { ByteProgress } from "../ui/progress-bar";
import { useFileUpload } from "../ui/use-file-upload";
import { refetchModelOf } from "./refetch-model";
import "./serving.css";

/**
 * The upload page's way to import a package instead. The form opens on request: the page keeps a
 * single drop zone and a single Slug field until then.
 */
export function ImportPackageSection() {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Import a package</h2>
      {open ? (
        <ImportPackageForm />
      ) : (
        <>
          <p className="muted">
            A .tessera file exported from a model version&apos;s page, its hashes checked on arrival.
          </p>
          <button type="button" onClick={() => setOpen(true)}>
            Import a package
          </button>
        </>
      )}
    </section>
  );
}

/**
 * Imports a .tessera package: the gateway checks every hash against its manifest and runs the
 * packaged test input before it stores anything; a refusal names the file at fault.
 */
export function ImportPackageForm() {
  const id = useId();
  const navigate = useNavigate();
  const [slug, setSlug] = useState("");
  const upload = useFileUpload();
  const { picked, setPicked, progress, setProgress } = upload;
  const [importPackage, { loading, error, reset }] = useMutation(ImportModelPackageDocument, {
    refetchQueries: ({ data }) => refetchModelOf(data?.importModelPackage),
  });
  const archive = picked[0];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!archive) return;
    reset();
    const context = upload.start(archive.file.size);
    const result = await importPackage({
      variables: { archive: archive.file, slug: slug.trim() || null },
      context,
    }).catch(() => null);
    upload.finish();
    const imported = result?.data?.importModelPackage;
    if (imported) navigate(versionPath(imported.model.owner.handle, imported.model.slug, imported.version));
    else setProgress(null);
  };

  return (
    <form
      className="upload-form"
      aria-label="Import a package"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <FileDropZone
        label="Package"
        hint="A .tessera file exported from a model version's page"
        accept=".tessera,.zip"
        disabled={loading}
        onFiles={(files) => setPicked(files.slice(0, 1))}
      />
      {archive && <PickedFileList picked={picked} disabled={loading} onRemove={upload.removeFile} />}
      <TextField
        id={`${id}-slug`}
        label="Slug"
        field="slug"
        error={error}
        value={slug}
        onChange={setSlug}
        hint="The model to add it to; the package's name when blank"
      />
      {progress && <ByteProgress label="Upload progress" loaded={progress.loaded} total={progress.total} />}
      {loading && progress && progress.loaded >= progress.total && (
        <p className="muted" role="status">
          Uploaded; the gateway is checking the hashes and running the test input…
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="primary" disabled={loading || !archive}>
          {loading ? "Importing…" : "Import package"}
        </button>
        {loading && (
          <button type="button" onClick={upload.cancel}>
            Cancel import
          </button>
        )}
      </div>
      <ErrorMessage error={error} exceptFields={["slug"]} />
    </form>
  );
}
