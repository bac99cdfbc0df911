import { ApolloLink } from "@apollo/client";
import { print } from "graphql";
import { Observable } from "rxjs";
import { parseGraphQLResponse } from "./graphql-response";
import { multipartForm } from "./multipart-form";
import { postWithProgress, type UploadProgress, type XhrLike } from "./xhr-request";

declare module "@apollo/client" {
  interface DefaultContext {
    /** Called as the request body goes out; only operations with files report progress. */
    onUploadProgress?: (progress: UploadProgress) => void;
  }
}

export interface UploadLinkOptions {
  uri: string;
  /** For tests: the XMLHttpRequest to use. */
  createRequest?: () => XhrLike;
}

/**
 * A terminating link for operations whose variables hold File or Blob values: sends them as a
 * GraphQL multipart request through XMLHttpRequest so the caller sees real byte progress.
 */
export function createUploadLink(options: UploadLinkOptions): ApolloLink {
  return new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((observer) => {
        const context = operation.getContext();
        const controller = new AbortController();
        const callerSignal = (context.fetchOptions as { signal?: AbortSignal } | undefined)?.signal;
        callerSignal?.addEventListener("abort", () => controller.abort(), { once: true });
        const { form } = multipartForm({
          operationName: operation.operationName,
          query: print(operation.query),
          variables: operation.variables,
        });
        postWithProgress(
          {
            url: options.uri,
            headers: {
              accept: "application/graphql-response+json, application/json;q=0.9",
              ...(context.headers as Record<string, string> | undefined),
              // Apollo Server's CSRF prevention lets multipart requests through only with this header.
              "apollo-require-preflight": "true",
            },
            body: form,
            onProgress: context.onUploadProgress,
            signal: controller.signal,
          },
          options.createRequest,
        )
          .then((response) => {
            observer.next(parseGraphQLResponse(response));
            observer.complete();
          })
          .catch((error: unknown) => {
            if (!observer.closed) observer.error(error);
          });
        return () => controller.abort();
      }),
  );
}
