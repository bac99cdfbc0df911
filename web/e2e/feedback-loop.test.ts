import { buildTinyCnn } from "@tessera/onnx/fixtures";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generateTextureDataset, zipDatasetFiles } from "../../gateway/test/support/texture-dataset";
import { callApi } from "./support/api";
import { dropFile, launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";
import { png } from "./support/png";

const e2e = inject("e2e");
const run = Date.now().toString(36);
const labels = ["red", "green", "blue"];
const swatch = png(24, 24, (x, y) => (x === y ? [255, 100, 90] : [200, 40, 30]));

describe.skipIf(e2e.skip !== null)(`feedback loop${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let tab: TestPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    tab = await openPage(browser, e2e.url);
    await signIn(tab.page, e2e.adminToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("deploys with a prediction log, corrects a playground answer in one click, lists it, and dry-runs a policy on it", async () => {
    const { page } = tab;
    const slug = `loop-cnn-${run}`;
    const onnx = buildTinyCnn().setMetadata("labels", JSON.stringify(labels)).toBytes();
    const { uploadModel } = await callApi<{ uploadModel: { id: string; model: { id: string } } }>(
      "mutation ($input: UploadModelInput!, $files: [Upload!]!) { uploadModel(input: $input, files: $files) { id model { id } } }",
      { input: { slug, modelType: "CLASSIFICATION" }, files: [null] },
      { "files.0": { name: "model.onnx", type: "application/octet-stream", bytes: Buffer.from(onnx) } },
    );
    const dataset = await generateTextureDataset({ classes: 3, imagesPerClass: 4, seed: 5 });
    await callApi(
      "mutation ($archive: Upload!, $input: DatasetInput!) { uploadDataset(archive: $archive, input: $input, generateEmbeddings: false) { dataset { id } } }",
      { archive: null, input: { name: `loop textures ${run}` } },
      {
        archive: {
          name: "textures.zip",
          type: "application/zip",
          bytes: await zipDatasetFiles(dataset.files),
        },
      },
    );

    // Deploy from the version page, keeping predictions a week.
    await page.goto(`/models/admin/${slug}/versions/v1`);
    const deployment = page.getByRole("region", { name: "Deployment" });
    await deployment.getByLabel("Keep them for (days)").fill("7");
    await deployment.getByRole("button", { name: "Deploy" }).click();
    await deployment.getByText("Ready", { exact: true }).waitFor({ timeout: 60_000 });

    // The playground's answer, corrected with one click in the model's labels.
    await page.goto(`/playground?version=${uploadModel.id}`);
    await dropFile(page, "swatch.png", "image/png", swatch);
    await page.getByRole("table", { name: "Top labels" }).waitFor();
    await page.getByRole("button", { name: "Wrong? Pick the right label" }).click();
    await page
      .getByRole("group", { name: "Pick the right label" })
      .getByRole("button", { name: "green" })
      .click();
    const stored = page.locator(".feedback-stored");
    await stored.waitFor();
    expect(await stored.innerText()).toMatch(/^Wrong the right label is green \(admin, .+\) Change$/);
    await screenshot(page, "playground-feedback");
    const { predictions } = await callApi<{
      predictions: { totalCount: number; edges: Array<{ node: { feedback: { correctLabel: string } } }> };
    }>(
      "query ($id: ID!) { predictions(modelVersionId: $id) { totalCount edges { node { feedback { correctLabel } } } } }",
      { id: uploadModel.id },
    );
    expect(predictions.totalCount).toBe(1);
    expect(predictions.edges[0]?.node.feedback.correctLabel).toBe("green");

    // The version's log, reached from its page.
    await page.goto(`/models/admin/${slug}/versions/v1`);
    await page.getByRole("link", { name: "Predictions and feedback" }).click();
    const log = page.getByRole("table", { name: "Logged predictions" });
    await log.waitFor();
    expect(await log.locator("tbody tr").count()).toBe(1);
    await page
      .getByText("Every prediction of the deployment is logged and kept 7 days, with its image.")
      .waitFor();
    await screenshot(page, "prediction-log");

    // A policy on the model, dry-run: one correction is enough to fire it.
    await page.goto(`/models/admin/${slug}/versions/v1`);
    await page.getByRole("link", { name: "New policy" }).click();
    const datasetChoice = page.getByRole("combobox", { name: "Dataset" });
    const option = datasetChoice.locator("option", { hasText: `loop textures ${run}` });
    await option.waitFor({ state: "attached" });
    await datasetChoice.selectOption((await option.getAttribute("value")) ?? "");
    await page.getByLabel("Corrections since the last run").fill("1");
    await page.getByLabel("Epochs", { exact: true }).fill("2");
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.getByRole("button", { name: "Evaluate now (dry run)" }).click();
    const answer = page.getByRole("status", { name: "Dry run result" });
    await answer.waitFor();
    expect(await answer.locator("strong").innerText()).toBe("Would fire, because 1 correction ≥ 1");
    await page.getByText("Dry run: would fire").waitFor();
    // Disabled, so the scheduler starts no training in the middle of the other end-to-end tests.
    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("button", { name: "Enable" }).waitFor();
    await screenshot(page, "retraining-policy");
    expect(tab.pageErrors).toEqual([]);
  });
});
