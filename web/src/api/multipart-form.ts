/**
 * The GraphQL multipart request format (github.com/jaydenseric/graphql-multipart-request-spec):
 * an `operations` part whose variables hold null where files go, a `map` from part names to those
 * places, then one part per distinct file.
 */
export interface GraphQLRequestBody {
  operationName?: string;
  query: string;
  variables: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

export interface ExtractedUploads {
  /** The variables with every file replaced by null. */
  variables: Record<string, unknown>;
  /** Each distinct file and the `variables.…` paths it fills (one file may fill several). */
  files: Map<Blob, string[]>;
}

export function isUpload(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

export function hasUploads(value: unknown): boolean {
  if (isUpload(value)) return true;
  if (Array.isArray(value)) return value.some(hasUploads);
  if (isPlainObject(value)) return Object.values(value).some(hasUploads);
  return false;
}

export function extractUploads(variables: Record<string, unknown>): ExtractedUploads {
  const files = new Map<Blob, string[]>();
  const walk = (value: unknown, path: string): unknown => {
    if (isUpload(value)) {
      files.set(value, [...(files.get(value) ?? []), path]);
      return null;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, `${path}.${index}`));
    if (isPlainObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, `${path}.${key}`)]),
      );
    }
    return value;
  };
  return { variables: walk(variables, "variables") as Record<string, unknown>, files };
}

export interface MultipartForm {
  form: FormData;
  /** Bytes of the files alone, before multipart framing. */
  fileBytes: number;
}

export function multipartForm(body: GraphQLRequestBody): MultipartForm {
  const { variables, files } = extractUploads(body.variables);
  const form = new FormData();
  form.append("operations", JSON.stringify({ ...body, variables }));
  const map: Record<string, string[]> = {};
  [...files.values()].forEach((paths, index) => (map[String(index)] = paths));
  form.append("map", JSON.stringify(map));
  let fileBytes = 0;
  [...files.keys()].forEach((file, index) => {
    fileBytes += file.size;
    form.append(String(index), file, file instanceof File ? file.name : "blob");
  });
  return { form, fileBytes };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
