import { buildTinyCnn } from "@tessera/onnx/fixtures";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generateTextureDataset, zipDatasetFiles } from "../../gateway/test/support/texture-dataset";
import { callApi } from "./support/api";
import { launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";
import { png, pngFile } from "./support/png";

const e2e = inject("e2e");

/** A common phone width (iPhone 12 to 15) in CSS pixels. */
const PHONE = { width: 390, height: 844 };
const run = Date.now().toString(36);
const slug = `phone-cnn-${run}`;
const datasetName = `phone textures ${run}`;

/** Everything a page may need to show a full table: a model, a dataset, a training job, a pair. */
async function seedData(): Promise<{ datasetId: string; jobId: string }> {
  const onnx = buildTinyCnn()
    .setMetadata("labels", JSON.stringify(["red", "green", "blue"]))
    .toBytes();
  const { uploadModel } = await callApi<{ uploadModel: { id: string } }>(
    "mutation ($input: UploadModelInput!, $files: [Upload!]!) { uploadModel(input: $input, files: $files) { id } }",
    { input: { slug, modelType: "CLASSIFICATION", tags: ["phone", "e2e"] }, files: [null] },
    { "files.0": { name: "model.onnx", type: "application/octet-stream", bytes: Buffer.from(onnx) } },
  );
  // Deployed, so the playground shows its controls; it is ready by the time the page is visited.
  await callApi("mutation ($id: ID!) { deployModelVersion(id: $id) { state } }", { id: uploadModel.id });
  const dataset = await generateTextureDataset({ classes: 3, imagesPerClass: 3, seed: 5 });
  const { uploadDataset } = await callApi<{
    uploadDataset: { dataset: { id: string }; version: { id: string } };
  }>(
    "mutation ($archive: Upload!, $input: DatasetInput!) { uploadDataset(archive: $archive, input: $input, generateEmbeddings: false) { dataset { id } version { id } } }",
    { archive: null, input: { name: datasetName } },
    {
      archive: { name: "textures.zip", type: "application/zip", bytes: await zipDatasetFiles(dataset.files) },
    },
  );
  const { model: embedder } = await callApi<{ model: { versions: Array<{ id: string }> } }>(
    '{ model(owner: "system", slug: "feature-embedder") { versions { id } } }',
  );
  const { startTraining } = await callApi<{ startTraining: { id: string } }>(
    "mutation ($input: TrainingInput!) { startTraining(input: $input) { id } }",
    {
      input: {
        datasetVersionId: uploadDataset.version.id,
        baseModelVersionId: embedder.versions[0]!.id,
        targetModelSlug: `phone-trained-${run}`,
        epochs: 2,
      },
    },
  );
  const swatch = png(16, 16, (x) => (x < 8 ? [200, 40, 30] : [30, 40, 200]));
  await callApi(
    'mutation ($original: Upload!, $transformed: Upload!) { storeTrainingPair(original: $original, transformed: $transformed, instruction: "make the left half blue on a long instruction line") { id } }',
    { original: null, transformed: null },
    { original: pngFile(swatch), transformed: pngFile(swatch) },
  );
  return { datasetId: uploadDataset.dataset.id, jobId: startTraining.id };
}

/** How wide the document is: wider than the window means the page scrolls sideways. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The deepest elements that reach past the window's right edge, for a failure to name them. */
const overflowing = (page: Page) =>
  page.evaluate(() =>
    [...document.body.querySelectorAll<HTMLElement>("*")]
      .filter(
        (element) =>
          element.getBoundingClientRect().right > window.innerWidth + 0.5 &&
          ![...element.children].some(
            (child) => child.getBoundingClientRect().right > window.innerWidth + 0.5,
          ) &&
          !element.closest(".table-scroll, .sample-grid, [hidden]"),
      )
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${element.className} "${element.textContent?.slice(0, 30)}"`,
      ),
  );

describe.skipIf(e2e.skip !== null)(`on a phone${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let tab: TestPage;
  let seeded: { datasetId: string; jobId: string };

  beforeAll(async () => {
    seeded = await seedData();
    browser = await launchBrowser();
    tab = await openPage(browser, e2e.url, PHONE);
    await signIn(tab.page, e2e.adminToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("fits every main page into 390 px: nothing wider than the window, tables scroll in their own box", async () => {
    const { page } = tab;
    const pages: Array<{ name: string; path: string; ready: (page: Page) => Promise<unknown> }> = [
      {
        name: "datasets",
        path: "/datasets",
        ready: (page) => page.getByRole("row", { name: /phone textures/ }).waitFor(),
      },
      {
        name: "dataset-upload",
        path: "/datasets/upload",
        ready: (page) => page.getByTestId("drop-zone").waitFor(),
      },
      {
        name: "dataset-version",
        path: `/datasets/${seeded.datasetId}/versions/1`,
        ready: (page) =>
          page.waitForFunction(() => {
            const thumbnail = document.querySelector<HTMLImageElement>("[role=gridcell] img");
            return thumbnail !== null && thumbnail.complete && thumbnail.naturalWidth > 0;
          }),
      },
      {
        name: "models",
        path: "/models",
        ready: (page) => page.getByRole("row", { name: new RegExp(slug) }).waitFor(),
      },
      {
        name: "model-upload",
        path: "/models/upload",
        ready: (page) => page.getByLabel("Model type").waitFor(),
      },
      {
        name: "model-version",
        path: `/models/admin/${slug}/versions/v1`,
        ready: (page) => page.getByRole("table", { name: "Inputs" }).waitFor(),
      },
      {
        name: "training",
        path: "/training",
        ready: (page) => page.getByRole("row", { name: /phone-trained/ }).waitFor(),
      },
      {
        name: "training-start",
        path: "/training/new",
        ready: (page) => page.getByLabel(/^Dataset version/).waitFor(),
      },
      {
        name: "training-job",
        path: `/training/jobs/${seeded.jobId}`,
        ready: (page) => page.getByRole("heading", { name: "Lineage" }).waitFor(),
      },
      {
        name: "jobs",
        path: "/jobs",
        ready: (page) => page.getByRole("row", { name: /phone-trained/ }).waitFor(),
      },
      {
        name: "playground",
        path: "/playground",
        ready: (page) => page.getByLabel("Deployed model").waitFor(),
      },
      {
        name: "pairs",
        path: "/pairs",
        ready: (page) => page.getByRole("row", { name: /long instruction/ }).waitFor(),
      },
      { name: "api-tokens", path: "/settings/tokens", ready: (page) => page.getByLabel("Name").waitFor() },
      {
        name: "admin-users",
        path: "/admin",
        ready: (page) => page.getByRole("row", { name: /^admin/ }).waitFor(),
      },
    ];
    const tooWide: Array<{ name: string; width: number; elements: string[] }> = [];
    for (const { name, path, ready } of pages) {
      await page.goto(path);
      await ready(page);
      const width = await pageWidth(page);
      if (width > PHONE.width) tooWide.push({ name, width, elements: await overflowing(page) });
      await screenshot(page, `phone-${name}`);
    }
    expect(tooWide).toEqual([]);

    // The registry's columns do not fit: its table scrolls sideways inside its box, not the page.
    await page.goto("/models");
    const table = page.getByRole("table").first();
    await table.getByRole("row", { name: new RegExp(slug) }).waitFor();
    const box = await table.evaluate((element) => {
      const scroller = element.parentElement!;
      return {
        overflow: getComputedStyle(scroller).overflowX,
        fits: scroller.scrollWidth <= scroller.clientWidth,
      };
    });
    expect(box).toEqual({ overflow: "auto", fits: false });
    expect(tab.pageErrors).toEqual([]);
  });

  it("folds the navigation behind a Menu button that reaches every area", async () => {
    const { page } = tab;
    await page.goto("/datasets");
    await page.getByRole("heading", { level: 1, name: "Datasets" }).waitFor();
    const navigation = page.getByRole("navigation", { name: "Main" });
    expect(await navigation.isVisible()).toBe(false);
    const menu = page.getByRole("button", { name: "Menu", exact: true });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");

    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await screenshot(page, "phone-menu-open");
    await navigation.getByRole("link", { name: "Models" }).click();
    await page.getByRole("heading", { level: 1, name: "Models" }).waitFor();
    expect(await navigation.isVisible()).toBe(false);

    await menu.click();
    await navigation.getByRole("button", { name: /Admin & data/ }).click();
    await navigation.getByRole("link", { name: "Collected pairs" }).click();
    await page.getByRole("heading", { level: 1, name: "Collected pairs" }).waitFor();

    await menu.click();
    const ide = navigation.getByRole("link", { name: /GraphQL IDE/ });
    expect([await ide.getAttribute("href"), await ide.getAttribute("target")]).toEqual([
      "/graphql",
      "_blank",
    ]);
    await page.keyboard.press("Escape");
    expect(await navigation.isVisible()).toBe(false);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(tab.pageErrors).toEqual([]);
  });
});
