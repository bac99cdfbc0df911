/**
 * A generative model (TEXT_TO_3D, IMAGE_TO_3D) may live outside Tessera's deployments: on the
 * Triton server at the tier's TRITON_URL, under its own name (Shap-E on Triton's Python backend,
 * deploy/shap-e-triton/). Its registered version says so in its metadata:
 * `customMetadata: { "kserveModel": { "name": "shap-e", "version": "1" } }` (version optional:
 * the backend's default). The tier sends such a model's requests to Triton as they are and refuses
 * with FAILED_PRECONDITION, naming it, when Triton does not serve it.
 *
 * Only a model owned by an ADMIN may name one: tier model names are `<handle>.<slug>`, so anyone
 * else's metadata could name another user's private deployment and run it without the deployment
 * check. Such a run is sent `triton_only`, so the tier never answers it from a local model.
 */
export interface GenerativeBackendModel {
  name: string;
  version: string;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** The backend model a version's metadata names, or null when it names none (or not validly). */
function generativeBackendOf(customMetadata: unknown): GenerativeBackendModel | null {
  const entry = (customMetadata as { kserveModel?: unknown } | null)?.kserveModel;
  if (!entry || typeof entry !== "object") return null;
  const { name, version } = entry as { name?: unknown; version?: unknown };
  if (typeof name !== "string" || !namePattern.test(name)) return null;
  if (version !== undefined && (typeof version !== "string" || !/^\d{1,18}$/.test(version))) return null;
  return { name, version: version ?? "" };
}

/** The backend model when the version's model is owned by an ADMIN, else null (its metadata is ignored). */
export function trustedGenerativeBackendOf(
  customMetadata: unknown,
  ownerRole: string | null | undefined,
): GenerativeBackendModel | null {
  return ownerRole === "ADMIN" ? generativeBackendOf(customMetadata) : null;
}
