import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { SetContextLink } from "@apollo/client/link/context";
import { describe, expect, it } from "vitest";
import { problemsOf } from "../../src/api/problems";
import { createUploadLink } from "../../src/api/upload-link";
import type { UploadProgress } from "../../src/api/xhr-request";
import { UploadModelDocument } from "../../src/gql/graphql";
import { FakeXhr } from "./fake-xhr";

const uploaded = {
  uploadModel: {
    __typename: "ModelVersion",
    id: "v-1",
    version: "v1",
    model: {
      __typename: "Model",
      id: "m-1",
      slug: "resnet",
      owner: { __typename: "User", id: "u-1", handle: "ada" },
    },
  },
};

function clientWith(xhr: FakeXhr) {
  const auth = new SetContextLink(() => ({ headers: { authorization: "Bearer tsr_secret" } }));
  return new ApolloClient({
    link: ApolloLink.from([auth, createUploadLink({ uri: "/graphql", createRequest: () => xhr })]),
    cache: new InMemoryCache(),
  });
}

const variables = { input: { slug: "resnet" }, files: [new File([new Uint8Array(2048)], "model.onnx")] };

/** Lets the link reach `send` (it runs after a few promise turns inside Apollo). */
async function sent(xhr: FakeXhr) {
  for (let turn = 0; turn < 50 && !xhr.body; turn += 1) await Promise.resolve();
  if (!xhr.body) throw new Error("the upload link never sent its request");
}

describe("the upload link", () => {
  it("posts a multipart request with the token and the CSRF preflight header, reporting bytes as they go", async () => {
    const xhr = new FakeXhr();
    const progress: UploadProgress[] = [];
    const result = clientWith(xhr).mutate({
      mutation: UploadModelDocument,
      variables,
      context: { onUploadProgress: (event: UploadProgress) => progress.push(event) },
    });
    await sent(xhr);
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("/graphql");
    expect(xhr.headers).toMatchObject({
      authorization: "Bearer tsr_secret",
      "apollo-require-preflight": "true",
    });
    expect([...xhr.body!.keys()]).toEqual(["operations", "map", "0"]);

    xhr.progress(1024, 2300);
    xhr.progress(2300, 2300);
    xhr.respond(200, { data: uploaded });
    expect((await result).data).toEqual(uploaded);
    expect(progress).toEqual([
      { loaded: 1024, total: 2300 },
      { loaded: 2300, total: 2300 },
    ]);
  });

  it("passes on the server's GraphQL errors even with a 413, so its message reaches the person", async () => {
    const xhr = new FakeXhr();
    const result = clientWith(xhr).mutate({ mutation: UploadModelDocument, variables });
    await sent(xhr);
    xhr.respond(413, {
      errors: [{ message: "model.onnx is larger than 1 kB", extensions: { code: "PAYLOAD_TOO_LARGE" } }],
    });
    const error = await result.catch((thrown: unknown) => thrown);
    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    expect(problemsOf(error)).toEqual([
      { code: "PAYLOAD_TOO_LARGE", message: "model.onnx is larger than 1 kB" },
    ]);
  });

  it("turns an answer that is not GraphQL into a ServerError with the status", async () => {
    const xhr = new FakeXhr();
    const result = clientWith(xhr).mutate({ mutation: UploadModelDocument, variables });
    await sent(xhr);
    xhr.respond(502, "<html>Bad gateway</html>", "text/html");
    const error = await result.catch((thrown: unknown) => thrown);
    expect(ServerError.is(error) && error.statusCode).toBe(502);
    expect(problemsOf(error)[0]?.code).toBe("HTTP_502");
  });

  it("reports a request that never reached the server as a network error", async () => {
    const xhr = new FakeXhr();
    const result = clientWith(xhr).mutate({ mutation: UploadModelDocument, variables });
    await sent(xhr);
    xhr.fail();
    const error = await result.catch((thrown: unknown) => thrown);
    expect(problemsOf(error)).toEqual([
      { code: "NETWORK_ERROR", message: "The upload to /graphql failed: the server could not be reached" },
    ]);
  });

  it("aborts the request when the caller's signal fires, and says it was cancelled", async () => {
    const xhr = new FakeXhr();
    const controller = new AbortController();
    const result = clientWith(xhr).mutate({
      mutation: UploadModelDocument,
      variables,
      context: { fetchOptions: { signal: controller.signal } },
    });
    await sent(xhr);
    controller.abort();
    const error = await result.catch((thrown: unknown) => thrown);
    expect(xhr.aborted).toBe(true);
    expect(problemsOf(error)).toEqual([{ code: "CANCELLED", message: "The upload was cancelled" }]);
  });
});
