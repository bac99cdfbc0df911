import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { zipDatasetFiles, type DatasetFile } from "../../gateway/test/support/texture-dataset";
import { callApi } from "./support/api";
import { dropFile, launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";

const e2e = inject("e2e");

const run = Date.now().toString(36);
const datasetName = `e2e-colours-${run}`;
const slug = `e2e-colours-${run}`;
const EPOCHS = 6;

const classes: Record<string, [number, number, number]> = {
  red: [210, 40, 40],
  green: [40, 190, 60],
  blue: [40, 70, 220],
};

/** A 32×32 PNG of the class colour with seeded noise and a faint diagonal, so no two are alike. */
function swatch([red, green, blue]: [number, number, number], seed: number): Promise<Buffer> {
  const side = 32;
  const pixels = Buffer.alloc(side * side * 3);
  let state = seed * 2654435761;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648 - 0.5) * 40;
  };
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const lift = Math.abs(x - y) < 3 ? 30 : 0;
      const at = (y * side + x) * 3;
      pixels[at] = clamp(red + lift + noise());
      pixels[at + 1] = clamp(green + lift + noise());
      pixels[at + 2] = clamp(blue + lift + noise());
    }
  }
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}

const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));

/** 3 class folders × 8 PNGs, zipped with the gateway's own writer. */
async function colourDatasetZip(): Promise<Buffer> {
  const files: DatasetFile[] = [];
  for (const [name, colour] of Object.entries(classes)) {
    for (let index = 0; index < 8; index++) {
      files.push({ path: `${name}/${name}-${index}.png`, bytes: await swatch(colour, index + 1) });
    }
  }
  return zipDatasetFiles(files);
}

interface EpochCount {
  epochs: number;
  at: number;
}

/**
 * Records, in the page, every change of the curves' epoch count with the time it showed: the
 * chart's growth as the person saw it, however quickly epochs come.
 */
function recordEpochCounts(page: Page): Promise<void> {
  return page.evaluate(() => {
    const log: EpochCount[] = [];
    (window as unknown as { epochCounts: EpochCount[] }).epochCounts = log;
    const record = () => {
      const shown = document.querySelector('[data-testid="epochs-recorded"]');
      if (!shown) return;
      const epochs = Number(shown.getAttribute("data-epochs"));
      if (log.at(-1)?.epochs !== epochs) log.push({ epochs, at: performance.now() });
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["data-epochs"],
    });
  });
}

describe.skipIf(e2e.skip !== null)(`training${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let tab: TestPage;
  let datasetVersionId: string;
  let jobId: string;

  beforeAll(async () => {
    const zip = await colourDatasetZip();
    const { uploadDataset } = await callApi<{
      uploadDataset: { version: { id: string }; imageCount: number };
    }>(
      "mutation ($archive: Upload!, $input: DatasetInput!) { uploadDataset(archive: $archive, input: $input, generateEmbeddings: false) { imageCount version { id } } }",
      { archive: null, input: { name: datasetName } },
      { archive: { name: "colours.zip", type: "application/zip", bytes: zip } },
    );
    expect(uploadDataset.imageCount).toBe(24);
    datasetVersionId = uploadDataset.version.id;
    browser = await launchBrowser();
    tab = await openPage(browser, e2e.url);
    await signIn(tab.page, e2e.adminToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("starts a job from the form and draws its curves live, epoch by epoch, until it completes", async () => {
    const { page } = tab;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Training" }).click();
    await page.getByRole("heading", { level: 1, name: "Training", exact: true }).waitFor();
    await page.getByRole("link", { name: "Start training" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Start training" }).waitFor();

    const { model: embedder } = await callApi<{ model: { versions: Array<{ id: string }> } }>(
      '{ model(owner: "system", slug: "feature-embedder") { versions { id } } }',
      {},
    );
    const base = page.getByLabel(/^Base model/);
    await page.waitForFunction(
      (id) => [...document.querySelectorAll("select")].some((select) => select.value === id),
      embedder.versions[0]!.id,
    );
    expect(await base.inputValue()).toBe(embedder.versions[0]!.id);

    await page.getByLabel(/^Dataset version/).selectOption(datasetVersionId);
    const chosenClasses = page.getByRole("list", { name: "Classes of the chosen version" });
    await chosenClasses.waitFor();
    expect(await chosenClasses.innerText()).toMatch(/blue\s*8[\s\S]*green\s*8[\s\S]*red\s*8/);

    // A wrong value is caught before anything is sent, next to its field.
    const learningRate = page.getByLabel("Learning rate", { exact: true });
    await learningRate.fill("0");
    await learningRate.blur();
    await page.getByText("learningRate must be greater than 0").waitFor();
    await learningRate.fill("0.01");

    await page.getByLabel("Target model").fill(slug);
    await page.getByLabel("Epochs", { exact: true }).fill(String(EPOCHS));
    await page.getByLabel("Batch size", { exact: true }).fill("4");
    await page.getByLabel("Stop when the monitored metric stops improving").uncheck();
    await screenshot(page, "training-start-form");

    await recordEpochCounts(page);
    await page.getByRole("button", { name: "Start training" }).click();
    await page.waitForURL(/\/training\/jobs\/[^/]+$/);
    jobId = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1)!);
    await page.getByRole("heading", { level: 1, name: `Training admin/${slug}` }).waitFor();

    const growing = page.getByTestId("epochs-recorded");
    await growing.waitFor({ timeout: 90_000 });
    await screenshot(page, "training-job-running");
    await page.getByText(`${EPOCHS} of ${EPOCHS} epochs recorded`).waitFor({ timeout: 90_000 });
    await page.getByRole("link", { name: "Open model version v1" }).waitFor({ timeout: 60_000 });

    const counts = await page.evaluate(
      () => (window as unknown as { epochCounts: EpochCount[] }).epochCounts,
    );
    const shown = counts.map((count) => count.epochs);
    // The chart gained points while the job ran: several counts, each larger than the last, at
    // later times, ending at the epochs the job ran.
    expect(shown.length, `epoch counts seen: ${shown.join(", ")}`).toBeGreaterThanOrEqual(3);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown.at(-1)).toBe(EPOCHS);
    expect(counts.at(-1)!.at).toBeGreaterThan(counts[0]!.at);

    const { trainingJob } = await callApi<{
      trainingJob: {
        status: string;
        trials: Array<{ epochsRun: number }>;
        metrics: Array<{ epoch: number }>;
      };
    }>(
      'query ($id: ID!) { trainingJob(id: $id) { status trials { epochsRun } metrics(name: "val_loss") { epoch } } }',
      {
        id: jobId,
      },
    );
    expect(trainingJob.status).toBe("SUCCEEDED");
    expect(trainingJob.trials).toEqual([{ epochsRun: EPOCHS }]);
    expect(trainingJob.metrics.map((point) => point.epoch)).toEqual([1, 2, 3, 4, 5, 6]);

    await page.getByText("Epochs as a table").click();
    const epochRows = page.getByRole("table", { name: "Metrics per epoch" }).locator("tbody tr");
    expect(await epochRows.count()).toBe(EPOCHS);
    expect(await page.getByText("Finished: the model is registered.").isVisible()).toBe(true);
    const perClass = page.getByRole("table", { name: /Precision, recall and F1 per class/ });
    expect(await perClass.locator("tbody th").allInnerTexts()).toEqual(["blue", "green", "red"]);
    const matrix = page.getByRole("img", { name: /^Confusion matrix on the validation split/ });
    await matrix.locator("canvas").first().waitFor();
    // The chart's description (ECharts' aria) says how many of the held-out samples were right.
    expect(await matrix.getAttribute("aria-label")).toMatch(/\. \d+ of 6 samples classified right/);
    await screenshot(page, "training-job-completed");
    expect(tab.pageErrors).toEqual([]);
  });

  it("lists the job among the succeeded ones", async () => {
    const { page } = tab;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Training" }).click();
    await page.getByRole("heading", { level: 1, name: "Training", exact: true }).waitFor();
    await page.getByLabel("Succeeded", { exact: true }).check();
    await page.waitForURL((url) => url.searchParams.get("status") === "SUCCEEDED");
    const row = page.getByRole("row", { name: new RegExp(`admin/${slug}`) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Succeeded[\s\S]*e2e-colours-[\s\S]*feature-embedder v2/);
    await screenshot(page, "training-jobs");
    await row.getByRole("link", { name: `admin/${slug}` }).click();
    await page.getByRole("heading", { level: 1, name: `Training admin/${slug}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/training/jobs/${jobId}`);
  });

  it("opens the trained version with its lineage, deploys it, and classifies an image with it", async () => {
    const { page } = tab;
    await page.getByRole("link", { name: "Open model version v1" }).click();
    await page.getByRole("heading", { level: 1, name: `${slug} v1` }).waitFor();
    const lineage = page.getByRole("region", { name: "Lineage" });
    await lineage.getByRole("link", { name: "Open the training job" }).waitFor();
    expect(await lineage.getByRole("link", { name: `${datasetName} · version 1` }).isVisible()).toBe(true);
    expect(await lineage.getByRole("link", { name: "system/feature-embedder v2" }).isVisible()).toBe(true);

    const deployment = page.getByRole("region", { name: "Deployment" });
    await deployment.getByRole("button", { name: "Deploy" }).click();
    await deployment.getByText("Ready", { exact: true }).waitFor({ timeout: 60_000 });
    await screenshot(page, "training-result-deployed");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Playground" }).click();
    await page.getByRole("heading", { level: 1, name: "Playground" }).waitFor();
    await page
      .getByLabel("Deployed model")
      .selectOption({ label: `admin/${slug} v1 · Classification · Ready` });
    await dropFile(page, "red.png", "image/png", await swatch(classes.red!, 99));
    const table = page.getByRole("table", { name: "Top labels" });
    await table.waitFor({ timeout: 30_000 });
    const first = (await table.locator("tbody tr").first().innerText()).split("\t");
    expect(first.slice(0, 2)).toEqual(["1", "red"]);
    await screenshot(page, "training-result-playground");
    expect(tab.pageErrors).toEqual([]);
  });
});
