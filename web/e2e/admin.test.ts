import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { requestApi } from "./support/api";
import { launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";

const e2e = inject("e2e");

const handle = `onboard-${Date.now().toString(36)}`;
const me = (token: string) =>
  requestApi<{ me: { handle: string } | null }>("{ me { handle } }", {}, {}, token);

describe.skipIf(e2e.skip !== null)(`admin${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let admin: TestPage;
  let secret: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await openPage(browser, e2e.url);
    await signIn(admin.page, e2e.adminToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("creates a user and issues them a token, shown once, that signs them in", async () => {
    const { page } = admin;
    const navigation = page.getByRole("navigation", { name: "Main" });
    await navigation.getByRole("button", { name: "Admin & data" }).click();
    await navigation.getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();

    const create = page.getByRole("region", { name: "Create a user" });
    await create.getByLabel("Handle").fill(handle);
    await create.getByLabel("Display name").fill("Onboarded Person");
    await create.getByLabel("Email").fill(`${handle}@example.com`);
    await create.getByRole("button", { name: "Create user" }).click();

    const issue = page.getByRole("region", { name: `Issue a token to ${handle}` });
    await issue.getByRole("button", { name: "Issue token" }).click();
    const field = issue.getByLabel(`Token for ${handle}`);
    await field.waitFor();
    secret = await field.inputValue();
    expect(secret).toMatch(/^tsr_/);
    expect(await issue.innerText()).toContain(
      `Shown only this once: copy it now and give it to ${handle} privately.`,
    );
    expect(await issue.getByRole("button", { name: "Copy" }).isVisible()).toBe(true);
    await page.getByRole("row", { name: new RegExp(`^${handle}`) }).waitFor();
    await screenshot(page, "admin-token-issued");

    // The new user, in a browser of their own: signed in, a member, and no admin page for them.
    const person = await openPage(browser, e2e.url);
    await signIn(person.page, secret);
    // A page that sends nothing by itself (the dataset list polls), so the refusal meets the click below.
    await person.page.goto("/settings/tokens");
    await person.page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();
    await person.page.getByRole("button", { name: "User menu for Onboarded Person" }).waitFor();
    const theirNavigation = person.page.getByRole("navigation", { name: "Main" });
    await theirNavigation.getByRole("button", { name: "Data" }).click();
    expect(await theirNavigation.getByRole("link", { name: "Users" }).count()).toBe(0);
    await person.page.goto("/admin");
    await person.page.getByRole("heading", { name: "Admins only" }).waitFor();
    await screenshot(person.page, "admin-member-refused");
    expect([admin.pageErrors, person.pageErrors]).toEqual([[], []]);
    await person.context.close();
  });

  it("deactivates the user, whose next request is refused, and reactivates them", async () => {
    const { page } = admin;
    const person = await openPage(browser, e2e.url);
    await signIn(person.page, secret);
    // A page that sends nothing by itself (the dataset list polls), so the refusal meets the click below.
    await person.page.goto("/settings/tokens");
    await person.page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();

    const row = page.getByRole("row", { name: new RegExp(`^${handle}`) });
    await row.getByRole("button", { name: `Deactivate ${handle}` }).click();
    await row.getByRole("button", { name: "Deactivate now" }).click();
    await row.getByText(/^Deactivated /).waitFor();
    await screenshot(page, "admin-user-deactivated");

    const refused = await me(secret);
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    // Their open dashboard: the next request signs them out with the server's reason.
    await person.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
    await person.page.waitForURL(/\/sign-in/);
    expect(await person.page.getByRole("status").innerText()).toMatch(/^You were signed out: /);
    await screenshot(person.page, "admin-deactivated-user-signed-out");

    await row.getByRole("button", { name: `Reactivate ${handle}` }).click();
    await row.getByText("Active", { exact: true }).waitFor();
    const again = await me(secret);
    expect(again.data?.me?.handle).toBe(handle);
    expect(admin.pageErrors).toEqual([]);
    await person.context.close();
  });
});
