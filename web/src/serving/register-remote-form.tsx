import { useId, type FormEvent } from "react";
import {
  describedBy,
  FieldProblemText,
  OtherProblems,
  byPrefix,
  hasProblem,
  placeProblems,
} from "./form-problem";
import { remoteBounds, type RemoteForm } from "./remote-form";
import { ServingField } from "./serving-field";

export interface RegisterRemoteFormProps {
  form: RemoteForm;
  onChange(form: RemoteForm): void;
  problems: Record<string, string>;
  error: unknown;
  saving: boolean;
  onSubmit(): void;
}

/** Where the server's problems land, by its field names; `rateLimit` alone goes under the button. */
const SERVER_FIELDS = [
  "slug",
  "url",
  "remoteModel",
  "secret",
  "labels",
  "timeoutMs",
  "rateLimit.perMinute",
  "rateLimit.perHour",
  "description",
];
const placeOf = byPrefix(SERVER_FIELDS);

/** Password managers would offer to save or fill the endpoint's bearer token: ask them not to. */
const NOT_A_LOGIN = { autoComplete: "off", "data-1p-ignore": "true", "data-lpignore": "true" } as const;

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
  const server = placeProblems(error, [...SERVER_FIELDS, "rateLimit"], placeOf);
  const problem = (client: string, field = client) => ({
    client: problems[client],
    server: server.at[field],
  });
  const secret = problem("secret");
  const labels = problem("labels");
  const description = problem("description");
  return (
    <form className="serving-form" onSubmit={submit} noValidate aria-label="Register a remote model">
      <div className="form-grid">
        <ServingField
          id={`${id}-slug`}
          label="Slug"
          required
          problem={problem("slug")}
          value={form.slug}
          onChange={(value) => set("slug", value)}
        />
        <ServingField
          id={`${id}-url`}
          label="Endpoint URL"
          required
          problem={problem("url")}
          value={form.url}
          onChange={(value) => set("url", value)}
          hint="The gateway POSTs {model, image, labels, top_k} to <url>/classify"
          input={{ type: "url", inputMode: "url" }}
        />
        <ServingField
          id={`${id}-remote-model`}
          label="Remote model"
          required
          problem={problem("remoteModel")}
          value={form.remoteModel}
          onChange={(value) => set("remoteModel", value)}
          hint="The `model` the endpoint is asked for"
        />
        <ServingField
          id={`${id}-secret`}
          label="Secret"
          problem={secret}
          value={form.secret}
          onChange={(value) => set("secret", value)}
          hint="Sent as a bearer token; stored encrypted and never shown again"
          input={{ type: "password", ...NOT_A_LOGIN }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-labels`}>
          Labels<span aria-hidden="true"> *</span>
        </label>
        <textarea
          id={`${id}-labels`}
          rows={4}
          value={form.labels}
          onChange={(event) => set("labels", event.target.value)}
          aria-invalid={hasProblem(labels) || undefined}
          aria-describedby={describedBy(`${id}-labels`, true, labels)}
        />
        <p className="hint" id={`${id}-labels-hint`}>
          One per line (a label may contain commas), 1 to {remoteBounds.labels}: the endpoint&apos;s answers
          are matched to them by name
        </p>
        <FieldProblemText id={`${id}-labels`} problem={labels} />
      </div>
      <div className="form-grid">
        <ServingField
          id={`${id}-timeout`}
          label="Timeout (ms)"
          problem={problem("timeoutMs")}
          value={form.timeoutMs}
          onChange={(value) => set("timeoutMs", value)}
          hint={`${remoteBounds.timeoutMs.min} to ${remoteBounds.timeoutMs.max}; ${remoteBounds.timeoutMs.default} when blank`}
          input={{ inputMode: "numeric" }}
        />
        <ServingField
          id={`${id}-per-minute`}
          label="Calls per minute"
          problem={problem("perMinute", "rateLimit.perMinute")}
          value={form.perMinute}
          onChange={(value) => set("perMinute", value)}
          hint={`1 to ${remoteBounds.perMinute}; no limit when blank`}
          input={{ inputMode: "numeric" }}
        />
        <ServingField
          id={`${id}-per-hour`}
          label="Calls per hour"
          problem={problem("perHour", "rateLimit.perHour")}
          value={form.perHour}
          onChange={(value) => set("perHour", value)}
          hint={`1 to ${remoteBounds.perHour}; no limit when blank`}
          input={{ inputMode: "numeric" }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={form.description}
          onChange={(event) => set("description", event.target.value)}
          aria-invalid={hasProblem(description) || undefined}
          aria-describedby={describedBy(`${id}-description`, false, description)}
        />
        <FieldProblemText id={`${id}-description`} problem={description} />
      </div>
      <div className="button-row">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? "Registering…" : "Register the remote model"}
        </button>
      </div>
      <OtherProblems problems={server.other} />
    </form>
  );
}
