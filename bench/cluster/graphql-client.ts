import type { GatewayClient, UploadFile } from "../inference/gateway-with-tier";

/**
 * A GraphQL client of one replica (fetch; multipart when `files` maps variable paths to
 * [filename, bytes]) for the bench's set-up steps, outside the timed runs. Throws on errors.
 */
export function replicaClient(url: string, token: string): GatewayClient {
  return {
    url,
    stop: async () => {},
    async graphql<T>(
      query: string,
      variables: Record<string, unknown>,
      files: Record<string, UploadFile> = {},
    ) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      let body: string | FormData;
      const paths = Object.keys(files);
      if (paths.length === 0) {
        headers["content-type"] = "application/json";
        body = JSON.stringify({ query, variables });
      } else {
        headers["apollo-require-preflight"] = "true";
        const form = new FormData();
        form.append("operations", JSON.stringify({ query, variables }));
        form.append("map", JSON.stringify(Object.fromEntries(paths.map((p, i) => [i, [`variables.${p}`]]))));
        paths.forEach((p, i) => {
          const [filename, content] = files[p]!;
          form.append(String(i), new Blob([content]), filename);
        });
        body = form;
      }
      const response = await fetch(`${url}/graphql`, { method: "POST", headers, body });
      const answer = (await response.json()) as { data?: T; errors?: unknown[] };
      if (answer.errors || !answer.data)
        throw new Error(`GraphQL errors from ${url}: ${JSON.stringify(answer.errors)}`);
      return answer.data;
    },
  };
}
