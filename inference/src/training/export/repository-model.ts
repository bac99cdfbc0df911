import { readFile } from "node:fs/promises";
import { failedPrecondition } from "../../runtime/errors";
import type { ModelCache } from "../../runtime/model-cache";
import type { ModelRepository } from "../../runtime/model-repository";

/**
 * The ONNX bytes of a model version the tier serves, read from its cache (Triton's layout:
 * `<name>/<version>/model.onnx`), where each load writes them. NOT_FOUND or UNAVAILABLE, as
 * inference answers, when the version is not READY; FAILED_PRECONDITION for a model hosted on
 * Triton, of which the tier keeps no copy.
 */
export async function readRepositoryModel(
  repository: ModelRepository,
  cache: ModelCache,
  model: { name: string; version: string },
): Promise<Uint8Array> {
  const serving = repository.resolve(model.name, model.version);
  const { settings, description } = serving;
  if (settings.tessera.hostedOn === "triton") {
    throw failedPrecondition(
      `model "${model.name}" version ${description.version} is hosted on Triton; the tier holds no copy of its file to export from`,
    );
  }
  const path = cache.modelPath(model.name, description.version, settings.defaultModelFilename);
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw failedPrecondition(
      `model "${model.name}" version ${description.version} has no "${settings.defaultModelFilename}" in the tier's repository`,
    );
  }
}
