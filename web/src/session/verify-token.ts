import { print } from "graphql";
import { GRAPHQL_PATH } from "../api/apollo-client";
import { problemsOf, type Problem } from "../api/problems";
import { ViewerDocument, type ViewerQuery } from "../gql/graphql";

export type Viewer = NonNullable<ViewerQuery["me"]>;

export type TokenCheck = { viewer: Viewer; problem?: undefined } | { viewer?: undefined; problem: Problem };

/**
 * Asks the gateway who a token belongs to before keeping it. This runs before any Apollo client
 * exists for the token, so it is a plain request carrying the same `Viewer` query.
 */
export async function verifyToken(token: string, fetchImpl: typeof fetch = fetch): Promise<TokenCheck> {
  let response: Response;
  try {
    response = await fetchImpl(GRAPHQL_PATH, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json;q=0.9",
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ operationName: "Viewer", query: print(ViewerDocument) }),
    });
  } catch (error) {
    return {
      problem: problemsOf(error)[0] ?? { code: "NETWORK_ERROR", message: "The gateway could not be reached" },
    };
  }
  const text = await response.text();
  let body: {
    data?: ViewerQuery | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return {
      problem: { code: `HTTP_${response.status}`, message: `The gateway answered HTTP ${response.status}` },
    };
  }
  const error = body.errors?.[0];
  if (error) return { problem: { code: error.extensions?.code ?? "ERROR", message: error.message } };
  if (!body.data?.me) {
    return { problem: { code: "UNAUTHENTICATED", message: "The gateway did not recognise this token" } };
  }
  return { viewer: body.data.me };
}
