import type { RegisterRemoteModelInput } from "../gql/graphql";

/** The gateway's bounds (gateway/src/limits.ts `serving.remote`); it checks them again. */
export const remoteBounds = {
  labels: 1000,
  timeoutMs: { min: 100, max: 60_000, default: 10_000 },
  perMinute: 100_000,
  perHour: 1_000_000,
} as const;

export interface RemoteForm {
  slug: string;
  url: string;
  /** Kept only in this form's state until sent; the page never shows it back. */
  secret: string;
  remoteModel: string;
  /** One label per line, in the order the endpoint knows them. */
  labels: string;
  timeoutMs: string;
  perMinute: string;
  perHour: string;
  description: string;
}

export const initialRemoteForm = (): RemoteForm => ({
  slug: "",
  url: "",
  secret: "",
  remoteModel: "",
  labels: "",
  timeoutMs: "",
  perMinute: "",
  perHour: "",
  description: "",
});

/**
 * Labels one per line, trimmed, blanks dropped. Only newlines split: ImageNet-style names carry
 * commas ("tench, Tinca tinca") and must stay one label.
 */
export function parseLabels(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((label) => label.trim())
    .filter(Boolean);
}

const isWholeIn = (text: string, min: number, max: number) =>
  Number.isInteger(Number(text)) && Number(text) >= min && Number(text) <= max;

/** What is wrong before anything is sent, by input; the server checks it all again. */
export function remoteProblems(form: RemoteForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.slug.trim()) problems.slug = "Name the model (its slug).";
  if (!/^https?:\/\/\S+$/i.test(form.url.trim())) problems.url = "An http:// or https:// URL.";
  if (!form.remoteModel.trim()) problems.remoteModel = "The model the endpoint is asked for.";
  const labels = parseLabels(form.labels).length;
  if (labels < 1 || labels > remoteBounds.labels)
    problems.labels = `1 to ${remoteBounds.labels} labels, one per line.`;
  const { min, max } = remoteBounds.timeoutMs;
  if (form.timeoutMs.trim() && !isWholeIn(form.timeoutMs.trim(), min, max))
    problems.timeoutMs = `A whole number of milliseconds from ${min} to ${max}.`;
  if (form.perMinute.trim() && !isWholeIn(form.perMinute.trim(), 1, remoteBounds.perMinute))
    problems.perMinute = `A whole number from 1 to ${remoteBounds.perMinute}.`;
  if (form.perHour.trim() && !isWholeIn(form.perHour.trim(), 1, remoteBounds.perHour))
    problems.perHour = `A whole number from 1 to ${remoteBounds.perHour}.`;
  return problems;
}

/** What the server is sent: blank optional fields left out, so its defaults apply. */
export function remoteInput(form: RemoteForm): RegisterRemoteModelInput {
  const input: RegisterRemoteModelInput = {
    slug: form.slug.trim(),
    url: form.url.trim(),
    remoteModel: form.remoteModel.trim(),
    labels: parseLabels(form.labels),
  };
  if (form.secret) input.secret = form.secret;
  if (form.timeoutMs.trim()) input.timeoutMs = Number(form.timeoutMs.trim());
  const rateLimit: NonNullable<RegisterRemoteModelInput["rateLimit"]> = {};
  if (form.perMinute.trim()) rateLimit.perMinute = Number(form.perMinute.trim());
  if (form.perHour.trim()) rateLimit.perHour = Number(form.perHour.trim());
  if (Object.keys(rateLimit).length > 0) input.rateLimit = rateLimit;
  if (form.description.trim()) input.description = form.description.trim();
  return input;
}
