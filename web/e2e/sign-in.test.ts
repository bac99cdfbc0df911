import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";

const e2e = inject("e2e");

describe.skipIf(e2e.skip !== null)(`signing in${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let tab: TestPage;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("sends a visitor to sign in, shows the server's refusal next to the field, then lets the admin in", async () => {
    tab = await openPage(browser, e2e.url);
    const { page } = tab;
    await page.goto("/models");
    await page.waitForURL("**/sign-in?next=%2Fmodels");

    await page.getByLabel("API token").fill("tsr_not-a-real-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe("UNAUTHENTICATED The bearer token is invalid or revoked");
    expect(await page.getByLabel("API token").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "sign-in-refused");

    await page.getByLabel("API token").fill(`Bearer ${e2e.adminToken}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/models");
    await page.getByRole("heading", { level: 1, name: "Models" }).waitFor();
    expect(await page.getByRole("link", { name: "Models", exact: true }).getAttribute("aria-current")).toBe(
      "page",
    );
    expect(await page.evaluate(() => localStorage.getItem("tessera.apiToken"))).toBe(e2e.adminToken);
    await screenshot(page, "models-registry");
    expect(tab.pageErrors).toEqual([]);
  });

  it("creates a token that signs in, and revoking it signs that browser out", async () => {
    const { page } = await openPage(browser, e2e.url);
    await signIn(page, e2e.adminToken);
    await page.getByRole("button", { name: /User menu/ }).click();
    await page.getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();

    await page.getByLabel("Name").fill("e2e laptop");
    await page.getByRole("button", { name: "Create token" }).click();
    const secretField = page.getByLabel(/New token/);
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^tsr_/);
    await page.getByRole("row", { name: /e2e laptop/ }).waitFor();
    await screenshot(page, "api-tokens");

    const second = await openPage(browser, e2e.url);
    await signIn(second.page, secret);
    await second.page.getByRole("button", { name: /User menu/ }).click();
    await second.page.getByRole("link", { name: "API tokens" }).click();
    const row = second.page.getByRole("row", { name: /e2e laptop/ });
    expect(await row.innerText()).toContain("this browser");
    await row.getByRole("button", { name: "Revoke e2e laptop" }).click();
    await row.getByRole("button", { name: "Revoke and sign out" }).click();
    await second.page.waitForURL(/\/sign-in/);
    expect(await second.page.getByRole("status").innerText()).toBe(
      "You revoked the token this browser was using.",
    );
    expect(await second.page.evaluate(() => localStorage.getItem("tessera.apiToken"))).toBeNull();
  });
});
