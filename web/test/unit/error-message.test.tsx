import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { problemsOf } from "../../src/api/problems";
import { ErrorMessage } from "../../src/ui/error-message";

afterEach(cleanup);

const uploadFailed = new CombinedGraphQLErrors({
  data: null,
  errors: [
    { message: 'Slug "Bad Slug" is invalid', extensions: { code: "BAD_USER_INPUT", field: "slug" } },
    { message: "The tier is not ready", extensions: { code: "SERVICE_UNAVAILABLE" } },
  ],
});

describe("errors as the person sees them", () => {
  it("keeps each error's code, message and the input it blames", () => {
    expect(problemsOf(uploadFailed)).toEqual([
      { code: "BAD_USER_INPUT", message: 'Slug "Bad Slug" is invalid', field: "slug" },
      { code: "SERVICE_UNAVAILABLE", message: "The tier is not ready" },
    ]);
  });

  it("reads the GraphQL errors out of a non-2xx answer's body", () => {
    const body = JSON.stringify({
      errors: [{ message: "Model not found", extensions: { code: "NOT_FOUND" } }],
    });
    const error = new ServerError("Response not successful", {
      response: new Response(null, { status: 404 }),
      bodyText: body,
    });
    expect(problemsOf(error)).toEqual([{ code: "NOT_FOUND", message: "Model not found" }]);
  });

  it("shows a field's own problems next to it and the rest where the form reports", () => {
    const field = render(<ErrorMessage error={uploadFailed} field="slug" />);
    expect(field.getByRole("alert").textContent).toBe('BAD_USER_INPUT Slug "Bad Slug" is invalid');
    field.unmount();
    const rest = render(<ErrorMessage error={uploadFailed} exceptFields={["slug"]} />);
    expect(rest.getByRole("alert").textContent).toBe("SERVICE_UNAVAILABLE The tier is not ready");
  });

  it("renders nothing when there is nothing wrong", () => {
    const { container } = render(<ErrorMessage error={undefined} />);
    expect(container.innerHTML).toBe("");
  });
});
