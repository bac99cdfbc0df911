import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generateTextureDataset, zipDatasetFiles } from "../../gateway/test/support/texture-dataset";
import { MAP_MARKS } from "../src/datasets/embedding-map-marks";
import { dropFile, launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";

const e2e = inject("e2e");

const classNames = ["red-stripes", "green-checkerboard", "blue-dots"];
const imagesPerClass = 4;
const datasetName = `textures ${Date.now().toString(36)}`;

/** Upload speed in bytes per second for the page, so a small upload still shows its progress. */
async function throttleUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const session = await page.context().newCDPSession(page);
  await session.send("Network.enable");
  const set = (upload: number) =>
    session.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: upload,
    });
  await set(bytesPerSecond);
  return async () => {
    await set(-1);
    await session.detach();
  };
}

describe.skipIf(e2e.skip !== null)(`datasets${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let tab: TestPage;
  let archive: Buffer;

  beforeAll(async () => {
    const dataset = await generateTextureDataset({
      classes: 3,
      imagesPerClass,
      seed: 11,
      inject: ["not-an-image"],
    });
    archive = await zipDatasetFiles(dataset.files);
    browser = await launchBrowser();
    tab = await openPage(browser, e2e.url);
    await signIn(tab.page, e2e.adminToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("uploads a ZIP by drag and drop with byte progress and a skipped-file report, then shows classes and thumbnails", async () => {
    const { page } = tab;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datasets" }).click();
    await page.getByRole("heading", { level: 1, name: "Datasets" }).waitFor();
    await page.getByRole("link", { name: "Upload a dataset" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Upload a dataset" }).waitFor();

    await dropFile(page, "textures.zip", "application/zip", archive);
    await page.getByRole("list", { name: "Files to upload" }).getByText("textures.zip").waitFor();
    expect(await page.getByLabel("Dataset name").inputValue()).toBe("textures");
    await page.getByLabel("Dataset name").fill(datasetName);
    await page.getByLabel("Tags").fill("e2e, textures");

    // About three seconds on the wire: long enough to see the bar move, short enough for CI.
    const unthrottle = await throttleUploads(page, Math.ceil(archive.length / 3));
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const bar = page.getByRole("progressbar", { name: "Upload progress" });
    await page.waitForFunction(() => {
      const progress = document.querySelector<HTMLProgressElement>("progress[aria-label='Upload progress']");
      return progress !== null && progress.value > 0 && progress.value < progress.max;
    });
    expect(Number(await bar.getAttribute("max"))).toBeGreaterThanOrEqual(archive.length);
    await screenshot(page, "dataset-upload-progress");

    const result = page.getByRole("region", { name: `Uploaded ${datasetName} v1` });
    await result.waitFor({ timeout: 30_000 });
    await unthrottle();
    expect(await result.innerText()).toContain("12 images in 3 classes; 1 file skipped");
    const skipped = result.getByRole("row", { name: /red-stripes\/not-an-image\.jpg/ });
    expect(await skipped.innerText()).toMatch(/red-stripes\/not-an-image\.jpg\s+\S+/);
    await screenshot(page, "dataset-upload-result");

    await result.getByRole("link", { name: `Explore ${datasetName} v1` }).click();
    await page.getByRole("heading", { level: 1, name: `${datasetName} v1` }).waitFor();
    const classes = page.getByRole("region", { name: "Classes (3)" });
    await classes.waitFor();
    for (const name of classNames) {
      expect(
        await classes.getByRole("button", { name: new RegExp(`^${name}\\s*${imagesPerClass}$`) }).count(),
      ).toBe(1);
    }
    const grid = page.getByRole("grid", { name: "Samples of all classes" });
    await grid.getByRole("gridcell").nth(11).waitFor();
    expect(await grid.getByRole("gridcell").count()).toBe(12);
    // Every thumbnail is a real image the signed URL served.
    await page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>(".sample-grid img")];
      return images.length === 12 && images.every((image) => image.complete && image.naturalWidth > 0);
    });

    await classes.getByRole("button", { name: /^green-checkerboard/ }).click();
    const classGrid = page.getByRole("grid", { name: "Samples of class green-checkerboard" });
    await classGrid
      .getByRole("gridcell")
      .nth(imagesPerClass - 1)
      .waitFor();
    expect(await classGrid.getByRole("gridcell").count()).toBe(imagesPerClass);
    expect(await classGrid.innerText()).not.toContain("red-stripes");
    await page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>(".sample-grid img")];
      return images.length === 4 && images.every((image) => image.complete && image.naturalWidth > 0);
    });

    // Embeddings were queued with the upload; the progress is live until they are all in.
    const embeddings = page.getByRole("region", { name: "Embeddings" });
    await embeddings.getByText("Succeeded").waitFor({ timeout: 60_000 });
    expect(await embeddings.innerText()).toContain("12 of 12 images embedded");
    await screenshot(page, "dataset-version-samples");
    expect(tab.pageErrors).toEqual([]);
  });

  it("opens a sample from the grid by keyboard and finds the images most like it", async () => {
    const { page } = tab;
    await page
      .getByRole("region", { name: "Classes (3)" })
      .getByRole("button", { name: /^All classes/ })
      .click();
    const grid = page.getByRole("grid", { name: "Samples of all classes" });
    await grid.getByRole("gridcell").nth(11).waitFor();
    await grid.focus();
    await page.keyboard.press("ArrowRight");
    expect(await grid.getAttribute("aria-activedescendant")).toBe(
      await grid.getByRole("gridcell").nth(1).getAttribute("id"),
    );
    const secondPath = (await grid
      .getByRole("gridcell")
      .nth(1)
      .getByRole("link")
      .getAttribute("aria-label"))!.split(",")[0]!;
    await page.keyboard.press("Enter");

    const viewer = page.getByRole("dialog", { name: secondPath });
    await viewer.waitFor();
    expect(page.url()).toContain("sample=");
    const sampleClass = secondPath.split("/")[0]!;
    const similar = viewer.getByRole("list", { name: "Similar images" });
    await similar.getByRole("listitem").first().waitFor({ timeout: 30_000 });
    const results = await similar
      .getByRole("link")
      .evaluateAll((links) => links.map((link) => link.getAttribute("aria-label") ?? ""));
    // Every other image of the version, nearest first.
    expect(results.length).toBe(3 * imagesPerClass - 1);
    expect(results.every((label) => /distance \d\.\d{3}$/.test(label))).toBe(true);
    // The textures differ by colour and pattern: the nearest images are of the same class.
    expect(results.slice(0, imagesPerClass - 1).every((label) => label.startsWith(`${sampleClass}/`))).toBe(
      true,
    );
    await screenshot(page, "dataset-similar-samples");

    await similar.getByRole("link").first().click();
    const nearestPath = results[0]!.split(",")[0]!;
    await page.getByRole("dialog", { name: nearestPath }).waitFor();
    await page.keyboard.press("Escape");
    await viewer.waitFor({ state: "hidden" });
    await page.waitForURL((url) => !url.searchParams.has("sample"));
    expect(tab.pageErrors).toEqual([]);
  });

  it("searches by a dropped image and draws the embedding map coloured by class", async () => {
    const { page } = tab;
    await page
      .getByRole("navigation", { name: "Version sections" })
      .getByRole("link", { name: "Search by image" })
      .click();
    const dataset = await generateTextureDataset({ classes: 3, imagesPerClass: 1, seed: 99 });
    const query = dataset.files.find((file) => file.path.startsWith("blue-dots/"))!;
    await dropFile(page, "query.png", query.path.endsWith(".png") ? "image/png" : "image/jpeg", query.bytes);
    const nearest = page.getByRole("list", { name: "Nearest images" });
    await nearest.getByRole("listitem").first().waitFor({ timeout: 30_000 });
    expect(await nearest.getByRole("link").first().getAttribute("aria-label")).toMatch(/^blue-dots\//);
    await screenshot(page, "dataset-search-by-image");

    await page
      .getByRole("navigation", { name: "Version sections" })
      .getByRole("link", { name: "Embedding map" })
      .click();
    await page.getByText("12 images of 3 classes").waitFor({ timeout: 30_000 });
    await page.locator(".embedding-map canvas").waitFor();
    // The map's own mark, set once its draw of every point has reached a frame (the mapdraw bench times it).
    const drawn = await page.waitForFunction(
      (name) => (performance.getEntriesByName(name)[0] as PerformanceMark | undefined)?.detail ?? null,
      MAP_MARKS.drawn,
    );
    expect(await drawn.jsonValue()).toMatchObject({ points: 12 });
    await screenshot(page, "dataset-embedding-map");

    await page
      .getByRole("navigation", { name: "Version sections" })
      .getByRole("link", { name: "Quality" })
      .click();
    await page.getByRole("meter", { name: "Quality score" }).waitFor();
    await screenshot(page, "dataset-quality");

    expect(tab.pageErrors).toEqual([]);
  });

  it("uploads a second version and shows what changed in the version history", async () => {
    const { page } = tab;
    const secondVersion = await generateTextureDataset({ classes: 4, imagesPerClass, seed: 11 });
    await page
      .getByRole("navigation", { name: "Breadcrumb" })
      .getByRole("link", { name: datasetName })
      .click();
    await page.getByRole("link", { name: "Upload a new version" }).click();
    expect(await page.getByLabel("Dataset name").inputValue()).toBe(datasetName);
    await dropFile(page, "textures-v2.zip", "application/zip", await zipDatasetFiles(secondVersion.files));
    await page.getByLabel(/Compute embeddings/).uncheck();
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const result = page.getByRole("region", { name: `Uploaded ${datasetName} v2` });
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toContain(
      "16 images in 4 classes; no file skipped. No embeddings were requested.",
    );

    await result.getByRole("link", { name: "Version history" }).click();
    const history = page.getByRole("table", { name: "Versions, newest first" });
    const latest = history.getByRole("row").nth(1);
    await latest.getByText("vs v1").waitFor();
    // Versions compare by content: the 12 images both uploads hold byte for byte are unchanged.
    expect(await latest.innerText()).toMatch(
      /^v2\s*latest[\s\S]*ZIP\s+16\s+4\s+\+4 added · 12 unchanged vs v1$/,
    );
    expect(await history.getByRole("row").nth(2).innerText()).toMatch(
      /^v1[\s\S]*ZIP\s+12\s+3\s+First version: 12 images$/,
    );
    const perClass = page.getByRole("table", { name: "Samples per class" });
    expect(await perClass.getByRole("row", { name: /yellow-gradient/ }).innerText()).toMatch(
      /yellow-gradient\s+0\s+4\s+\+4 new class/,
    );
    await screenshot(page, "dataset-versions");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datasets" }).click();
    await page.getByLabel("Search").fill(datasetName.split(" ")[1]!);
    await page.waitForURL(/q=/);
    // The search runs once typing pauses: wait for the filtered answer (header + one dataset).
    await expect.poll(() => page.getByRole("table").getByRole("row").count(), { timeout: 15_000 }).toBe(2);
    const row = page.getByRole("row", { name: new RegExp(datasetName) });
    expect(await row.innerText()).toMatch(/e2e\s*textures\s+v2\s+16\s+4/);
    await screenshot(page, "datasets-list");
    expect(tab.pageErrors).toEqual([]);
  });

  it("relabels a selection from the keyboard as a new version, compares it by content and exports it", async () => {
    const { page } = tab;
    await page.getByRole("link", { name: datasetName }).click();
    await page
      .getByRole("table", { name: "Versions, newest first" })
      .getByRole("link", { name: "v2" })
      .click();
    await page
      .getByRole("region", { name: "Classes (4)" })
      .getByRole("button", { name: /^red-stripes/ })
      .click();
    const grid = page.getByRole("grid", { name: "Samples of class red-stripes" });
    const tiles = grid.getByRole("gridcell").getByRole("link");
    await tiles.nth(imagesPerClass - 1).waitFor();
    await tiles.nth(0).click();
    await tiles.nth(1).click({ modifiers: ["Shift"] });
    await page.getByRole("heading", { name: "2 samples selected" }).waitFor();
    // Classes go by name: 1 is blue-dots. The confirmation takes the focus, so Enter creates the version.
    await page.keyboard.press("1");
    await page.getByRole("form", { name: "Relabel 2 samples as blue-dots?" }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Version 3 created: 2 samples relabelled" }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/\/versions\/3$/);
    await screenshot(page, "dataset-curated");

    await page
      .getByRole("navigation", { name: "Breadcrumb" })
      .getByRole("link", { name: datasetName })
      .click();
    const latest = page.getByRole("table", { name: "Versions, newest first" }).getByRole("row").nth(1);
    await latest.getByText("vs v2").waitFor();
    expect(await latest.innerText()).toMatch(/^v3\s*latest[\s\S]*2 relabelled · 14 unchanged vs v2$/);
    const perClass = page.getByRole("table", { name: "Samples per class" });
    expect(await perClass.getByRole("row", { name: /^blue-dots/ }).innerText()).toMatch(
      /^blue-dots\s+4\s+6\s+\+2 grew\s+\+2\s+0$/,
    );
    expect(await perClass.getByRole("row", { name: /^All classes/ }).innerText()).toMatch(
      /^All classes\s+16\s+16\s+0\s+\+2\s+−2$/,
    );

    await page
      .getByRole("table", { name: "Versions, newest first" })
      .getByRole("link", { name: "v3" })
      .click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export as ZIP" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/-v3\.zip$/);
    const zip = await readFile((await download.path())!);
    expect(zip.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(zip.includes(Buffer.from("labels.csv"))).toBe(true);
    expect(zip.includes(Buffer.from("blue-dots/"))).toBe(true);
    expect(tab.pageErrors).toEqual([]);
  });
});
