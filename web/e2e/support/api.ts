import { inject } from "vitest";

export interface UploadedFile {
  name: string;
  type: string;
  bytes: Buffer;
}

export interface GraphQLAnswer<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * One GraphQL request to the running stack, as a script would send it: multipart when it carries
 * files (`variables path → file`), JSON otherwise; the admin's token unless another is given.
 */
export async function requestApi<T>(
  query: string,
  variables: Record<string, unknown> = {},
  files: Record<string, UploadedFile> = {},
  token = inject("e2e").adminToken,
): Promise<GraphQLAnswer<T>> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    "apollo-require-preflight": "true",
  };
  let body: BodyInit;
  const paths = Object.keys(files);
  if (paths.length === 0) {
    body = JSON.stringify({ query, variables });
    headers["content-type"] = "application/json";
  } else {
    const form = new FormData();
    form.append("operations", JSON.stringify({ query, variables }));
    form.append(
      "map",
      JSON.stringify(Object.fromEntries(paths.map((path, index) => [index, [`variables.${path}`]]))),
    );
    paths.forEach((path, index) => {
      const file = files[path]!;
      form.append(String(index), new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    });
    body = form;
  }
  const response = await fetch(new URL("/graphql", inject("e2e").url), { method: "POST", headers, body });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLAnswer<T>, "status">) };
}

/** As `requestApi`, for calls that must succeed: throws with the server's errors otherwise. */
export async function callApi<T>(
  query: string,
  variables: Record<string, unknown> = {},
  files: Record<string, UploadedFile> = {},
  token?: string,
): Promise<T> {
  const answer = await requestApi<T>(query, variables, files, token);
  if (answer.errors?.length || !answer.data) {
    throw new Error(`the API refused the call (HTTP ${answer.status}): ${JSON.stringify(answer.errors)}`);
  }
  return answer.data;
}
