import { useId, type FormEvent } from "react";
import { ErrorMessage } from "../ui/error-message";
import { TextField } from "../ui/text-field";
import { FormProblem } from "./form-problem";
import { remoteBounds, type RemoteForm } from "./remote-form";

export interface RegisterRemoteFormProps {
  form: RemoteForm;
  onChange(form: RemoteForm): void;
  problems: Record<string, string>;
  error: unknown;
  saving: boolean;
  onSubmit(): void;
}

const SERVER_FIELDS = ["slug", "url", "remoteModel", "timeoutMs", "secret", "labels"];

export function RegisterRemoteForm({
  form,
  onChange,
  problems,
  error,
  saving,
  onSubmit,
}: RegisterRemoteFormProps) {
  const id = useId();
  const set = <K extends keyof RemoteForm>(key: K, value: RemoteForm[K]) =>
    onChange({ ...form, [key]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="serving-form" onSubmit={submit} noValidate aria-label="Register a remote model">
      <div className="form-grid">
        <TextField
          id={`${id}-slug`}
          label="Slug"
          field="slug"
          required
          error={error}
          value={form.slug}
          onChange={(value) => set("slug", value)}
        />
        <TextField
          id={`${id}-url`}
          label="Endpoint URL"
          field="url"
          required
          error={error}
          value={form.url}
          onChange={(value) => set("url", value)}
          hint="The gateway POSTs {model, image, labels, top_k} to <url>/classify"
        />
        <TextField
          id={`${id}-remote-model`}
          label="Remote model"
          field="remoteModel"
          required
          error={error}
          value={form.remoteModel}
          onChange={(value) => set("remoteModel", value)}
          hint="The `model` the endpoint is asked for"
        />
        <div className="field">
          <label htmlFor={`${id}-secret`}>Secret</label>
          <input
            id={`${id}-secret`}
            type="password"
            autoComplete="new-password"
            value={form.secret}
            onChange={(event) => set("secret", event.target.value)}
            aria-describedby={`${id}-secret-hint`}
          />
          <p className="hint" id={`${id}-secret-hint`}>
            Sent as a bearer token; stored encrypted and never shown again
          </p>
          <ErrorMessage error={error} field="secret" />
        </div>
      </div>
      <FormProblem message={problems.slug} />
      <FormProblem message={problems.url} />
      <FormProblem message={problems.remoteModel} />
      <div className="field">
        <label htmlFor={`${id}-labels`}>
          Labels<span aria-hidden="true"> *</span>
        </label>
        <textarea
          id={`${id}-labels`}
          rows={4}
          value={form.labels}
          onChange={(event) => set("labels", event.target.value)}
          aria-describedby={`${id}-labels-hint`}
        />
        <p className="hint" id={`${id}-labels-hint`}>
          One per line, 1 to {remoteBounds.labels}: the endpoint&apos;s answers are matched to them by name
        </p>
      </div>
      <FormProblem message={problems.labels} />
      <ErrorMessage error={error} field="labels" />
      <div className="form-grid">
        <TextField
          id={`${id}-timeout`}
          label="Timeout (ms)"
          field="timeoutMs"
          error={error}
          value={form.timeoutMs}
          onChange={(value) => set("timeoutMs", value)}
          hint={`${remoteBounds.timeoutMs.min} to ${remoteBounds.timeoutMs.max}; ${remoteBounds.timeoutMs.default} when blank`}
        />
        <TextField
          id={`${id}-per-minute`}
          label="Calls per minute"
          value={form.perMinute}
          onChange={(value) => set("perMinute", value)}
          hint={`1 to ${remoteBounds.perMinute}; no limit when blank`}
        />
        <TextField
          id={`${id}-per-hour`}
          label="Calls per hour"
          value={form.perHour}
          onChange={(value) => set("perHour", value)}
          hint={`1 to ${remoteBounds.perHour}; no limit when blank`}
        />
      </div>
      <FormProblem message={problems.timeoutMs} />
      <FormProblem message={problems.perMinute} />
      <FormProblem message={problems.perHour} />
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={form.description}
          onChange={(event) => set("description", event.target.value)}
        />
      </div>
      <div className="button-row">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? "Registering…" : "Register the remote model"}
        </button>
      </div>
      <ErrorMessage error={error} exceptFields={SERVER_FIELDS} />
    </form>
  );
}
