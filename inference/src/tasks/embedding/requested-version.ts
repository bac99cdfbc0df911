import { invalidArgument } from "../../runtime/errors";
import {
  featureEmbedderModel,
  featureEmbedderVersion,
  featureEmbedderVersions,
  type FeatureEmbedderVersion,
} from "./built-in-model";

/**
 * The built-in embedder's version a request names by model name and version: no name at all is
 * the default version (what every caller got before version 2), "feature-embedder" with "" the
 * default too, with "1" or "2" that version. Null when the name is another model's.
 */
export function requestedEmbedderVersion(
  modelName: string,
  modelVersion: string,
): FeatureEmbedderVersion | null {
  if (modelName !== "" && modelName !== featureEmbedderModel.name) return null;
  const version = featureEmbedderVersion(modelVersion);
  if (version) return version;
  throw invalidArgument(
    `The built-in ${featureEmbedderModel.name} has versions ${featureEmbedderVersions.map((v) => `"${v}"`).join(", ")}; got "${modelVersion}"`,
  );
}
