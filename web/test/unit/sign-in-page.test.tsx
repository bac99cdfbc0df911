import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SessionProvider } from "../../src/session/session-context";
import { SignInPage } from "../../src/session/sign-in-page";
import { TOKEN_KEY } from "../../src/session/token-store";

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
});

function answer(status: number, body: unknown) {
  return vi.fn(
    async () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "content-type": "application/graphql-response+json" },
      }),
  );
}

function renderSignIn() {
  return render(
    <MemoryRouter initialEntries={["/sign-in?next=%2Fmodels%3Fq%3Dresnet"]}>
      <SessionProvider>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/models" element={<p>models page</p>} />
        </Routes>
      </SessionProvider>
    </MemoryRouter>,
  );
}

describe("signing in", () => {
  it("shows the server's code and message next to the field, tied to it for screen readers", async () => {
    const fetch = answer(401, {
      errors: [
        { message: "The bearer token is invalid or revoked", extensions: { code: "UNAUTHENTICATED" } },
      ],
    });
    vi.stubGlobal("fetch", fetch);
    renderSignIn();
    fireEvent.change(screen.getByLabelText("API token"), { target: { value: "Bearer tsr_wrong" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("UNAUTHENTICATED The bearer token is invalid or revoked");
    const field = screen.getByLabelText("API token");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(field.getAttribute("aria-describedby")).toBe(alert.id);
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).authorization).toBe("Bearer tsr_wrong");
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it("refuses an empty token without asking the server", async () => {
    const fetch = answer(200, {});
    vi.stubGlobal("fetch", fetch);
    renderSignIn();
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "BAD_USER_INPUT Paste an API token, e.g. tsr_…",
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it("keeps a token the server recognises and goes where the visitor was headed", async () => {
    vi.stubGlobal(
      "fetch",
      answer(200, {
        data: { me: { id: "u1", handle: "ada", displayName: null, email: null, role: "ADMIN" } },
      }),
    );
    renderSignIn();
    fireEvent.change(screen.getByLabelText("API token"), { target: { value: "  tsr_right  " } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("models page")).toBeTruthy();
    expect(localStorage.getItem(TOKEN_KEY)).toBe("tsr_right");
  });
});
