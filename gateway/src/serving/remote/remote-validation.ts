import { badInput, forbidden } from "../../errors";
import { checkLength, checkRange, limits } from "../../limits";
import { validSlug, validText } from "../../models/model-validation";
import { hostIsInternal } from "../../models/private-addresses";
import type { RegisterRemoteModelInput } from "../serving.types";

/** A registration as stored, every field checked. */
export interface ValidRemoteModel {
  slug: string;
  url: string;
  host: string;
  secret: string | null;
  remoteModel: string;
  labels: string[];
  timeoutMs: number;
  perMinute: number | null;
  perHour: number | null;
  description: string | null | undefined;
}

const bounds = limits.serving.remote;
/** What an HTTP header value may hold (visible ASCII and spaces): no line breaks to smuggle headers. */
const HEADER_SAFE = /^[\x20-\x7e]+$/;

/**
 * Everything about a registration that can be refused before anything is stored. An endpoint on
 * a loopback, private or link-local network is refused (FORBIDDEN) unless the operator allowed
 * internal addresses, as for URL imports.
 */
export async function validRemoteModel(
  input: RegisterRemoteModelInput,
  allowInternal: boolean,
): Promise<ValidRemoteModel> {
  const slug = validSlug(input.slug);
  const url = validUrl(input.url);
  if (!allowInternal && (await hostIsInternal(url.hostname))) {
    throw forbidden(
      `${url.hostname} is a loopback, private or link-local address; the gateway calls such endpoints only when its operator allows internal addresses`,
    );
  }
  const remoteModel = input.remoteModel.trim();
  if (!remoteModel) throw badInput("remoteModel must not be empty", { field: "remoteModel" });
  checkLength("remoteModel", remoteModel, bounds.remoteModelLength);
  return {
    slug,
    url: url.href.replace(/\/+$/, ""),
    host: url.host,
    secret: validSecret(input.secret),
    remoteModel,
    labels: validRemoteLabels(input.labels),
    timeoutMs: checkRange(
      "timeoutMs",
      input.timeoutMs ?? bounds.timeoutMs.default,
      bounds.timeoutMs.min,
      bounds.timeoutMs.max,
    ),
    perMinute: optionalRange("rateLimit.perMinute", input.rateLimit?.perMinute, bounds.perMinute),
    perHour: optionalRange("rateLimit.perHour", input.rateLimit?.perHour, bounds.perHour),
    description: validText(input.description, "description", limits.descriptionLength),
  };
}

function validUrl(raw: string): URL {
  checkLength("url", raw, bounds.urlLength);
  const url = URL.parse(raw.trim());
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw badInput("url must be an http:// or https:// URL", { field: "url" });
  }
  // Credentials belong in `secret`, which is stored encrypted; a URL is shown to the owner as is.
  if (url.username || url.password) {
    throw badInput("url must not carry a user name or password; put the credential in secret", {
      field: "url",
    });
  }
  if (url.search || url.hash) {
    throw badInput(
      "url must be a base URL without a query or fragment (the gateway POSTs to <url>/classify)",
      {
        field: "url",
      },
    );
  }
  return url;
}

function validSecret(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  checkLength("secret", raw, bounds.secretLength);
  if (!HEADER_SAFE.test(raw) || raw.trim() !== raw) {
    // The value is never echoed: only what is wrong with it.
    throw badInput("secret must be non-empty printable ASCII without leading or trailing spaces", {
      field: "secret",
    });
  }
  return raw;
}

function validRemoteLabels(raw: string[]): string[] {
  if (raw.length === 0) throw badInput("labels must name at least one label", { field: "labels" });
  if (raw.length > bounds.labels) {
    throw badInput(`labels must have at most ${bounds.labels} entries, got ${raw.length}`, {
      field: "labels",
    });
  }
  const seen = new Set<string>();
  raw.forEach((label, index) => {
    const field = `labels[${index}]`;
    if (!label.trim()) throw badInput(`${field} is empty`, { field });
    checkLength(field, label, bounds.labelLength);
    if (seen.has(label)) throw badInput(`${field} repeats "${label}"`, { field });
    seen.add(label);
  });
  return raw;
}

function optionalRange(field: string, value: number | null | undefined, max: number): number | null {
  return value === null || value === undefined ? null : checkRange(field, value, 1, max);
}
