import type { ModelRepositoryParameter__Output } from "@tessera/proto/generated/inference/ModelRepositoryParameter";
import { invalidArgument } from "../runtime/errors";
import type { VersionFiles } from "../runtime/model-cache";
import type { LoadRequest } from "../runtime/model-repository";

const filePattern = /^file:([^/]+)\/(.+)$/;
const versionPattern = /^(0|[1-9]\d{0,15})$/;
const segmentPattern = /^[A-Za-z0-9_.+-]+$/;

/**
 * Reads RepositoryModelLoad's parameters the way Triton loads a model from memory: "config" holds
 * the configuration as JSON (string_param) and each "file:<version>/<path>" a file (bytes_param).
 */
export function readLoadParameters(
  parameters: Record<string, ModelRepositoryParameter__Output>,
): LoadRequest {
  let config: string | null = null;
  const files: VersionFiles = new Map();
  for (const [key, parameter] of Object.entries(parameters)) {
    if (key === "config") {
      if (parameter.parameter_choice !== "string_param") {
        throw invalidArgument(
          `parameter "config" must be a string_param holding JSON, got ${parameter.parameter_choice}`,
        );
      }
      config = parameter.string_param!;
      continue;
    }
    const file = filePattern.exec(key);
    if (!file) {
      throw invalidArgument(
        `parameter "${key}" is not one this tier reads; expected "config" and "file:<version>/<file name>"`,
      );
    }
    const [, version, relativePath] = file as unknown as [string, string, string];
    if (!versionPattern.test(version)) {
      throw invalidArgument(
        `parameter "${key}" names version "${version}"; versions are numbers such as "3"`,
      );
    }
    const segments = relativePath.split("/");
    if (segments.some((segment) => !segmentPattern.test(segment) || /^\.+$/.test(segment))) {
      throw invalidArgument(`parameter "${key}" has a file path that is not a plain relative path`);
    }
    if (parameter.parameter_choice !== "bytes_param") {
      throw invalidArgument(
        `parameter "${key}" must be a bytes_param holding the file, got ${parameter.parameter_choice}`,
      );
    }
    if (!files.has(version)) files.set(version, new Map());
    files.get(version)!.set(relativePath, parameter.bytes_param!);
  }
  return { config, files };
}
