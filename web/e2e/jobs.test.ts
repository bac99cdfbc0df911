import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generateTextureDataset, zipDatasetFiles } from "../../gateway/test/support/texture-dataset";
import { callApi } from "./support/api";
import { dropFile, launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";

const e2e = inject("e2e");

const datasetName = `job textures ${Date.now().toString(36)}`;

describe.skipIf(e2e.skip !== null)(`jobs${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let tab: TestPage;
  let archive: Buffer;

  beforeAll(async () => {
    const dataset = await generateTextureDataset({ classes: 2, imagesPerClass: 3, seed: 23 });
    archive = await zipDatasetFiles(dataset.files);
    browser = await launchBrowser();
    tab = await openPage(browser, e2e.url);
    // The dashboard starts watching the admin's jobs here: every job queued from now on is news.
    await signIn(tab.page, e2e.adminToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows an upload's embedding job reach Succeeded on the Jobs page, and tells when the next finishes on another page", async () => {
    const { page } = tab;
    const navigation = page.getByRole("navigation", { name: "Main" });
    const notifications = page.getByRole("status", { name: "Job notifications" });

    await page.goto("/datasets/upload");
    await page.getByRole("heading", { level: 1, name: "Upload a dataset" }).waitFor();
    await dropFile(page, "textures.zip", "application/zip", archive);
    await page.getByLabel("Dataset name").fill(datasetName);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByRole("region", { name: `Uploaded ${datasetName} v1` }).waitFor({ timeout: 30_000 });

    // The upload queued the embeddings; the Jobs page follows the job until it is done.
    await navigation.getByRole("link", { name: "Jobs" }).click();
    await page.getByRole("heading", { level: 1, name: "Jobs" }).waitFor();
    const row = page.getByRole("row", { name: new RegExp(`^Embeddings ${datasetName} v1 `) });
    await row.getByText("Succeeded").waitFor({ timeout: 60_000 });
    expect(await row.getByRole("link", { name: `${datasetName} v1` }).getAttribute("href")).toMatch(
      /^\/datasets\/[^/]+\/versions\/1$/,
    );
    expect(await row.innerText()).toContain("1 of");
    expect(await row.getByRole("button", { name: /^Cancel/ }).count()).toBe(0);
    // Finished on a page that is not its own: one notice, whichever look saw it finish.
    const first = notifications.getByText(`Embeddings of dataset ${datasetName} v1 succeeded`, {
      exact: false,
    });
    await first.waitFor();
    expect(await first.count()).toBe(1);
    await screenshot(page, "jobs");
    await notifications
      .getByRole("button", { name: `Dismiss: Embeddings of dataset ${datasetName} v1 succeeded` })
      .click();
    await first.waitFor({ state: "detached" });

    // A second version, queued from outside the dashboard while it shows another page.
    await navigation.getByRole("link", { name: "Models" }).click();
    await page.getByRole("heading", { level: 1, name: "Models" }).waitFor();
    await callApi(
      "mutation ($archive: Upload!, $input: DatasetInput!) { uploadDataset(archive: $archive, input: $input) { version { number } } }",
      { archive: null, input: { name: datasetName } },
      { archive: { name: "textures.zip", type: "application/zip", bytes: archive } },
    );
    // The next navigation makes the dashboard look; it then follows the job until it finishes.
    await navigation.getByRole("link", { name: "Training" }).click();
    await page.getByRole("heading", { level: 1, name: "Training" }).waitFor();
    const second = notifications.getByText(`Embeddings of dataset ${datasetName} v2 succeeded`, {
      exact: false,
    });
    await second.waitFor({ timeout: 60_000 });
    await screenshot(page, "job-finished-notice");
    await second.getByRole("link", { name: "View" }).click();
    await page.getByRole("heading", { level: 1, name: `${datasetName} v2` }).waitFor();
    expect(await second.count()).toBe(0);
    expect(tab.pageErrors).toEqual([]);
  });
});
