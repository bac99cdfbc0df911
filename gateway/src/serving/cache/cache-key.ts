import { createHash } from "node:crypto";
import type { ServingTarget } from "../../inference/serving-targets";
import type { ScoreRequest } from "../scorer";

/**
 * What an answer depends on besides the image and the version: the deployment's config (resize,
 * normalisation, and whatever else a redeploy may change), the model on the tier and the labels.
 * A redeploy with another config updates the same deployment row in place, so the deployment id
 * alone would keep serving answers of the old preprocessing; with this in the key they are missed
 * on every replica as soon as its target is looked up again, invalidation or not.
 */
function servingFingerprint(target: ServingTarget): string {
  return createHash("sha256")
    .update(
      canonicalJson({
        config: target.config,
        tierModelName: target.tierModelName,
        tierModelVersion: target.tierModelVersion,
        labels: target.labels,
      }),
    )
    .digest("base64url");
}

// A READY target is one object shared by every request for ~2 s (ServingTargets), so its hash is
// computed once per lookup, not once per request.
const fingerprints = new WeakMap<ServingTarget, string>();

function fingerprintOf(target: ServingTarget): string {
  let fingerprint = fingerprints.get(target);
  if (fingerprint === undefined) {
    fingerprint = servingFingerprint(target);
    fingerprints.set(target, fingerprint);
  }
  return fingerprint;
}

/** The prediction cache's key: image sha256, version, deployment and the deployment's fingerprint. */
export function predictionKey(request: ScoreRequest): string {
  const { target } = request;
  return `${request.imageSha256}|${request.versionId}|${target.deploymentId}|${fingerprintOf(target)}`;
}

/**
 * JSON with object keys sorted: the same config must give the same key whichever query read it
 * (jsonb from raw SQL or from Prisma) and in whatever order its keys were written.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
