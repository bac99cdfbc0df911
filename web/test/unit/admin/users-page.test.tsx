import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import AdminRoutes from "../../../src/admin/admin-routes";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const viewer = (role: "ADMIN" | "MEMBER") => ({
  data: {
    me: {
      __typename: "User",
      id: role === "ADMIN" ? "u-admin" : "u-ada",
      handle: role === "ADMIN" ? "admin" : "ada",
      displayName: null,
      email: null,
      role,
    },
  },
});

const user = (handle: string, overrides: Record<string, unknown> = {}) => ({
  __typename: "User",
  id: `u-${handle}`,
  handle,
  displayName: null,
  email: `${handle}@example.com`,
  role: "MEMBER",
  createdAt: "2026-01-01T10:00:00.000Z",
  active: true,
  deactivatedAt: null,
  ...overrides,
});

const page = (users: unknown[], hasNextPage: boolean, endCursor: string | null, totalCount: number) => ({
  data: {
    users: {
      __typename: "UserConnection",
      totalCount,
      pageInfo: { __typename: "PageInfo", endCursor, hasNextPage },
      edges: users.map((node) => ({ __typename: "UserEdge", node })),
    },
  },
});

function renderAdmin(answers: Record<string, Answer>) {
  const server = fakeGraphQLServer(answers);
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/admin"]}>
        <Routes>
          <Route path="/admin/*" element={<AdminRoutes />} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const names = (server: ReturnType<typeof fakeGraphQLServer>) =>
  server.calls.map((call) => call.operationName);

describe("the admin page", () => {
  it("tells a member it is for admins only, and asks the API for no users", async () => {
    const server = renderAdmin({ Viewer: () => viewer("MEMBER") });
    expect(await screen.findByRole("heading", { name: "Admins only" })).toBeTruthy();
    expect(screen.getByText(/only admins can open it/)).toBeTruthy();
    expect(names(server)).toEqual(["Viewer"]);
  });

  it("pages through the users, oldest first, and never offers an admin to deactivate themselves", async () => {
    const server = renderAdmin({
      Viewer: () => viewer("ADMIN"),
      AdminUsers: (variables) =>
        variables.after
          ? page([user("grace")], false, "c-21", 21)
          : page(
              [
                user("admin", { id: "u-admin", role: "ADMIN" }),
                ...Array.from({ length: 19 }, (_, index) => user(`member-${index + 1}`)),
              ],
              true,
              "c-20",
              21,
            ),
    });
    const first = await screen.findByRole("row", { name: /^admin/ });
    expect(within(first).queryByRole("button", { name: /Deactivate/ })).toBeNull();
    expect(within(first).getByText("you")).toBeTruthy();
    expect(screen.getByText("1–20 of 21")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Next page" }));
    await screen.findByRole("row", { name: /^grace/ });
    expect(
      server.calls.filter((call) => call.operationName === "AdminUsers").map((call) => call.variables),
    ).toEqual([
      { first: 20, after: null },
      { first: 20, after: "c-20" },
    ]);
    expect(screen.getByText("21–21 of 21")).toBeTruthy();
  });

  it("creates a user, issues them a token shown once with a copy button, then deactivates and reactivates them", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const state = { created: false, active: true };
    const grace = () =>
      user("grace", {
        displayName: "Grace Hopper",
        active: state.active,
        deactivatedAt: state.active ? null : "2026-01-02T10:00:00.000Z",
      });
    const server = renderAdmin({
      Viewer: () => viewer("ADMIN"),
      AdminUsers: () =>
        page(
          [user("admin", { id: "u-admin", role: "ADMIN" }), ...(state.created ? [grace()] : [])],
          false,
          null,
          2,
        ),
      AdminCreateUser: () => {
        state.created = true;
        return { data: { createUser: grace() } };
      },
      AdminIssueToken: () => ({
        data: {
          createApiToken: {
            __typename: "CreatedApiToken",
            secret: "tsr_k3y_s3cr3t",
            token: {
              __typename: "ApiToken",
              id: "t-1",
              name: "first sign-in",
              prefix: "tsr_k3y",
              createdAt: "2026-01-01T11:00:00.000Z",
            },
          },
        },
      }),
      AdminDeactivateUser: () => {
        state.active = false;
        return { data: { deactivateUser: grace() } };
      },
      AdminReactivateUser: () => {
        state.active = true;
        return { data: { reactivateUser: grace() } };
      },
    });
    const create = await screen.findByRole("region", { name: "Create a user" });
    fireEvent.change(within(create).getByLabelText(/^Handle/), { target: { value: " grace " } });
    fireEvent.change(within(create).getByLabelText("Display name"), { target: { value: "Grace Hopper" } });
    fireEvent.change(within(create).getByLabelText("Email"), { target: { value: "grace@example.com" } });
    fireEvent.click(within(create).getByRole("button", { name: "Create user" }));

    const issue = await screen.findByRole("region", { name: "Issue a token to grace" });
    expect(server.calls.find((call) => call.operationName === "AdminCreateUser")?.variables).toEqual({
      input: { handle: "grace", displayName: "Grace Hopper", email: "grace@example.com", role: "MEMBER" },
    });
    fireEvent.click(within(issue).getByRole("button", { name: "Issue token" }));
    const secret = (await within(issue).findByLabelText("Token for grace")) as HTMLInputElement;
    expect(secret.value).toBe("tsr_k3y_s3cr3t");
    expect(
      within(issue).getByText(/^Shown only this once: copy it now and give it to grace privately/),
    ).toBeTruthy();
    expect(server.calls.find((call) => call.operationName === "AdminIssueToken")?.variables).toEqual({
      name: "first sign-in",
      userId: "u-grace",
    });
    fireEvent.click(within(issue).getByRole("button", { name: "Copy" }));
    await within(issue).findByRole("button", { name: "Copied" });
    expect(writeText).toHaveBeenCalledWith("tsr_k3y_s3cr3t");
    fireEvent.click(within(issue).getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("region", { name: "Issue a token to grace" })).toBeNull();

    const row = await screen.findByRole("row", { name: /^grace/ });
    fireEvent.click(within(row).getByRole("button", { name: "Deactivate grace" }));
    fireEvent.click(within(row).getByRole("button", { name: "Deactivate now" }));
    await waitFor(() => expect(row.textContent).toMatch(/Deactivated/));
    expect(within(row).queryByRole("button", { name: "Issue a token to grace" })).toBeNull();
    fireEvent.click(within(row).getByRole("button", { name: "Reactivate grace" }));
    await waitFor(() => expect(row.textContent).toMatch(/Active/));
    expect(
      server.calls
        .filter((call) => call.operationName.endsWith("activateUser"))
        .map((call) => [call.operationName, call.variables]),
    ).toEqual([
      ["AdminDeactivateUser", { id: "u-grace" }],
      ["AdminReactivateUser", { id: "u-grace" }],
    ]);
  });
});
