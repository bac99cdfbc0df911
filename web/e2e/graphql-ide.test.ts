import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "./support/browser";

const e2e = inject("e2e");

const GRAPHQL_URL = "**/graphql";

const isGraphQLPost = (url: string, method: string) =>
  method === "POST" && new URL(url).pathname === "/graphql";

interface MeAnswer {
  authorization: string | undefined;
  body: unknown;
}

/**
 * Sends the IDE's prefilled `query Me` and returns the Authorization header it went with and the
 * answer. The request is fetched here and its answer handed to the page, so the body is read in
 * this process: read back from the browser, it is gone once a navigation overtakes it (CI saw the
 * IDE's start-up navigation do so after `networkidle` on a loaded machine).
 */
async function sendMe(page: Page): Promise<MeAnswer> {
  let settle!: (answer: MeAnswer) => void;
  let fail!: (error: unknown) => void;
  const answered = new Promise<MeAnswer>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const handler = async (route: Route) => {
    const request = route.request();
    if (!isGraphQLPost(request.url(), request.method()) || !(request.postData() ?? "").includes("query Me")) {
      return route.fallback();
    }
    try {
      const response = await route.fetch();
      settle({ authorization: request.headers().authorization, body: await response.json() });
      await route.fulfill({ response });
    } catch (error) {
      fail(error);
    }
  };
  await page.route(GRAPHQL_URL, handler);
  try {
    await page.getByRole("button", { name: "Send Request" }).click();
    return await answered;
  } finally {
    await page.unroute(GRAPHQL_URL, handler);
  }
}

describe.skipIf(e2e.skip !== null)(`GraphQL IDE${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("loads Altair at /graphql, introspects the schema and finds TrainingJob in its Docs panel", async () => {
    const { page, pageErrors } = await openPage(browser, e2e.url);
    const introspection = page.waitForResponse(
      (response) =>
        isGraphQLPost(response.url(), response.request().method()) &&
        (response.request().postData() ?? "").includes("IntrospectionQuery"),
    );
    await page.goto("/graphql");
    expect((await introspection).status()).toBe(200);

    await page.getByRole("button", { name: "Docs" }).click();
    await page.getByPlaceholder("Search docs...").fill("TrainingJob");
    // Picking the suggested type lists the search results; opening it there shows its fields.
    await page.getByRole("menuitem", { name: /^TrainingJob type/ }).click();
    await page.getByText("TrainingJob", { exact: true }).click();
    await page.getByText("targetModelSlug", { exact: true }).waitFor();
    await screenshot(page, "graphql-ide-docs");
    expect(pageErrors).toEqual([]);
  });

  it("opens with the dashboard's signed-in token set, and without it once the dashboard signed out", async () => {
    const { page, pageErrors } = await openPage(browser, e2e.url);
    await signIn(page, e2e.adminToken);
    await page.goto("/graphql", { waitUntil: "networkidle" });
    const signedIn = await sendMe(page);
    expect(signedIn.authorization).toBe(`Bearer ${e2e.adminToken}`);
    expect(signedIn.body).toMatchObject({ data: { me: { handle: "admin" } } });
    await screenshot(page, "graphql-ide-signed-in");

    // What the dashboard's sign-out does to its storage; the IDE must not keep the old token.
    await page.evaluate(() => localStorage.removeItem("tessera.apiToken"));
    // Settled first: a response the IDE's own start-up navigation overtakes has no body to read.
    await page.reload({ waitUntil: "networkidle" });
    const signedOut = await sendMe(page);
    expect(signedOut.authorization).not.toContain(e2e.adminToken);
    expect(signedOut.body).toMatchObject({ data: { me: null } });
    expect(pageErrors).toEqual([]);
  });
});
