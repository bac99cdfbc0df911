import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { MainNavigation } from "../../src/layout/main-navigation";
import { fakeGraphQLServer } from "./fake-graphql-server";

afterEach(cleanup);

function renderNavigation(role: "ADMIN" | "MEMBER") {
  const server = fakeGraphQLServer({
    Viewer: () => ({
      data: { me: { __typename: "User", id: "u-1", handle: "ada", displayName: null, email: null, role } },
    }),
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/datasets"]}>
        <MainNavigation />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return screen.getByRole("navigation", { name: "Main" });
}

/** The links outside the "Admin & data" menu, in order. */
const barLinks = (navigation: HTMLElement) =>
  within(navigation)
    .getAllByRole("link")
    .filter((link) => !link.closest(".nav-menu"))
    .map((link) => link.textContent);

describe("the main navigation", () => {
  it("keeps the daily work in the bar, labelling, retraining, serving and collected pairs in a Data menu, and opens the GraphQL IDE in a new tab", async () => {
    const navigation = renderNavigation("MEMBER");
    const menu = await within(navigation).findByRole("button", { name: "Data" });
    expect(barLinks(navigation)).toEqual([
      "Datasets",
      "Models",
      "Training",
      "Jobs",
      "Playground",
      "Scenes",
      "Reconstructions",
      "GraphQL IDE ↗ (opens in a new tab)",
    ]);
    const ide = within(navigation).getByRole("link", { name: /GraphQL IDE/ });
    expect([ide.getAttribute("href"), ide.getAttribute("target")]).toEqual(["/graphql", "_blank"]);

    expect(menu.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(menu);
    expect(menu.getAttribute("aria-expanded")).toBe("true");
    const panel = document.getElementById(menu.getAttribute("aria-controls") ?? "")!;
    expect(
      within(panel)
        .getAllByRole("link")
        .map((link) => link.textContent),
    ).toEqual(["Labelling", "Retraining", "Serving", "Collected pairs"]);
    fireEvent.keyDown(document, { key: "Escape" });
    expect(menu.getAttribute("aria-expanded")).toBe("false");
  });

  it("adds Users to the menu for an admin", async () => {
    const navigation = renderNavigation("ADMIN");
    const menu = await within(navigation).findByRole("button", { name: "Admin & data" });
    fireEvent.click(menu);
    const panel = document.getElementById(menu.getAttribute("aria-controls") ?? "")!;
    await waitFor(() =>
      expect(
        within(panel)
          .getAllByRole("link")
          .map((link) => link.getAttribute("href")),
      ).toEqual(["/labeling", "/retraining", "/serving", "/pairs", "/admin"]),
    );
  });

  it("folds behind a Menu button that a followed link closes", async () => {
    const navigation = renderNavigation("MEMBER");
    const toggle = screen.getByRole("button", { name: "Menu" });
    expect(toggle.getAttribute("aria-controls")).toBe(navigation.id);
    fireEvent.click(toggle);
    expect([toggle.getAttribute("aria-expanded"), navigation.className]).toEqual([
      "true",
      "main-nav main-nav-open",
    ]);
    fireEvent.click(within(navigation).getByRole("link", { name: "Models" }));
    expect([toggle.getAttribute("aria-expanded"), navigation.className]).toEqual(["false", "main-nav"]);
  });
});
