import { describedBy, FieldProblemText, hasProblem } from "../ui/field-problem";
import { TextField } from "../ui/text-field";
import { byPrefix } from "./form-problem";
import { remoteBounds, type RemoteForm } from "./remote-form";
import { ServingFormFrame, useServingForm, type ServingFormProps } from "./serving-form";

export type RegisterRemoteFormProps = ServingFormProps<RemoteForm>;

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
const serverField = byPrefix(SERVER_FIELDS);
/** The form's key for a server field: the form's own checks call `rateLimit.perMinute` `perMinute`. */
const placeOf = (field: string) => serverField(field)?.replace(/^rateLimit\./, "") ?? null;

/** Password managers would offer to save or fill the endpoint's bearer token: ask them not to. */
const NOT_A_LOGIN = { autoComplete: "off", "data-1p-ignore": "true", "data-lpignore": "true" } as const;

export function RegisterRemoteForm(props: RegisterRemoteFormProps) {
  const { form, saving, onSubmit } = props;
  const { id, set, placed, other } = useServingForm(props, [...SERVER_FIELDS, "rateLimit"], placeOf);
  const labels = placed.labels;
  return (
    <ServingFormFrame
      label="Register a remote model"
      submitLabel="Register the remote model"
      savingLabel="Registering…"
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
        />
        <TextField
          id={`${id}-url`}
          label="Endpoint URL"
          required
          problem={placed.url}
          value={form.url}
          onChange={(value) => set("url", value)}
          hint="The gateway POSTs {model, image, labels, top_k} to <url>/classify"
          input={{ type: "url", inputMode: "url" }}
        />
        <TextField
          id={`${id}-remote-model`}
          label="Remote model"
          required
          problem={placed.remoteModel}
          value={form.remoteModel}
          onChange={(value) => set("remoteModel", value)}
          hint="The `model` the endpoint is asked for"
        />
        <TextField
          id={`${id}-secret`}
          label="Secret"
          problem={placed.secret}
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
        <TextField
          id={`${id}-timeout`}
          label="Timeout (ms)"
          problem={placed.timeoutMs}
          value={form.timeoutMs}
          onChange={(value) => set("timeoutMs", value)}
          hint={`${remoteBounds.timeoutMs.min} to ${remoteBounds.timeoutMs.max}; ${remoteBounds.timeoutMs.default} when blank`}
          input={{ inputMode: "numeric" }}
        />
        <TextField
          id={`${id}-per-minute`}
          label="Calls per minute"
          problem={placed.perMinute}
          value={form.perMinute}
          onChange={(value) => set("perMinute", value)}
          hint={`1 to ${remoteBounds.perMinute}; no limit when blank`}
          input={{ inputMode: "numeric" }}
        />
        <TextField
          id={`${id}-per-hour`}
          label="Calls per hour"
          problem={placed.perHour}
          value={form.perHour}
          onChange={(value) => set("perHour", value)}
          hint={`1 to ${remoteBounds.perHour}; no limit when blank`}
          input={{ inputMode: "numeric" }}
        />
      </div>
      <TextField
        id={`${id}-description`}
        label="Description"
        rows={2}
        problem={placed.description}
        value={form.description}
        onChange={(value) => set("description", value)}
      />
    </ServingFormFrame>
  );
}
