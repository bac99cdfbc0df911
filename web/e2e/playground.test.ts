import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildTinyCnn } from "@tessera/onnx/fixtures";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { zipDatasetFiles } from "../../gateway/test/support/texture-dataset";
import { buildChannelMeanDepth, buildPooledSegmenter } from "../../inference/test/tasks/support/task-models";
import { classColour } from "../src/playground/segment-colours";
import { formatScaleValue } from "../src/playground/turbo-colour-scale";
import { callApi } from "./support/api";
import { dropFile, launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";
import { png, pngFile } from "./support/png";

const e2e = inject("e2e");
const runCommand = promisify(execFile);

const run = Date.now().toString(36);
const labels = ["red", "green", "blue"];

const swatch = png(24, 24, (x, y) => (x === y ? [255, 100, 90] : [200, 40, 30]));
const ramp = png(24, 24, (x) => [x * 10, x * 10, x * 10]);
const halves = png(24, 24, (x) => (x < 12 ? [220, 20, 20] : [20, 20, 220]));

/** Uploads an ONNX file through the upload page, deploys it from its version page and opens it in the playground. */
async function deployAndOpenInPlayground(
  page: Page,
  slug: string,
  onnx: Uint8Array,
  modelType: string,
  task: string,
) {
  await page.goto("/models/upload");
  await page.getByRole("heading", { level: 1, name: "Upload a model" }).waitFor();
  await dropFile(page, "model.onnx", "application/octet-stream", Buffer.from(onnx));
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Model type").selectOption(modelType);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await page.waitForURL(`**/models/admin/${slug}/versions/v1`);
  const deployment = page.getByRole("region", { name: "Deployment" });
  await deployment.getByRole("button", { name: "Deploy" }).click();
  await deployment.getByText("Ready", { exact: true }).waitFor({ timeout: 60_000 });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Playground" }).click();
  await page.getByRole("heading", { level: 1, name: "Playground" }).waitFor();
  const picker = page.getByLabel("Deployed model");
  await picker.selectOption({ label: `admin/${slug} v1 · ${task} · Ready` });
  const versionId = await picker.inputValue();
  expect(new URL(page.url()).searchParams.get("version")).toBe(versionId);
  return versionId;
}

describe.skipIf(e2e.skip !== null)(`playground${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
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

  it("classifies a dropped PNG with a freshly deployed ONNX model and draws the labels as bars", async () => {
    const { page } = tab;
    const slug = `playground-cnn-${run}`;
    const onnx = buildTinyCnn().setMetadata("labels", JSON.stringify(labels)).toBytes();
    const versionId = await deployAndOpenInPlayground(page, slug, onnx, "CLASSIFICATION", "Classification");
    await page.getByLabel("Labels to show").fill("3");

    await dropFile(page, "swatch.png", "image/png", swatch);
    const table = page.getByRole("table", { name: "Top labels" });
    await table.waitFor();
    const chart = page.getByRole("img", { name: /^Probability of the top 3 labels: / });
    await chart.locator("canvas").waitFor();
    await page.getByRole("img", { name: "The image to send: swatch.png" }).waitFor();

    const { classifyImage } = await callApi<{
      classifyImage: { predictions: Array<{ label: string; score: number }> };
    }>(
      "mutation ($id: ID!, $image: ImageInput!) { classifyImage(modelVersionId: $id, image: $image, topK: 3) { predictions { label score } } }",
      { id: versionId, image: { upload: null } },
      { "image.upload": pngFile(swatch) },
    );
    const expected = classifyImage.predictions;
    const percent = (score: number) => `${(score * 100).toFixed(1)}%`;
    expect(expected.map((prediction) => prediction.label).sort()).toEqual([...labels].sort());
    const rows = await table.locator("tbody tr").allInnerTexts();
    expect(rows.map((row) => row.split("\t").slice(0, 3))).toEqual(
      expected.map((prediction, rank) => [String(rank + 1), prediction.label, percent(prediction.score)]),
    );
    expect(await chart.getAttribute("aria-label")).toBe(
      `Probability of the top 3 labels: ${expected.map((prediction) => `${prediction.label} ${percent(prediction.score)}`).join(", ")}`,
    );
    expect(await page.getByText(/^Most likely/).innerText()).toBe(
      `Most likely ${expected[0]!.label} (${percent(expected[0]!.score)})`,
    );
    await screenshot(page, "playground-classification");
    expect(tab.pageErrors).toEqual([]);
  });

  it("refuses a dropped file that is not an image next to the drop zone, and keeps the last result", async () => {
    const { page } = tab;
    await dropFile(page, "notes.txt", "text/plain", Buffer.from("not an image"));
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe(
      "BAD_USER_INPUT Expected a JPEG, PNG, WebP or GIF image; got notes.txt.",
    );
    expect(await page.getByRole("table", { name: "Top labels" }).isVisible()).toBe(true);
    expect(tab.pageErrors).toEqual([]);
  });

  it("classifies a sample picked by dataset, version and grid, with the labels the API gives that sample", async () => {
    const { page } = tab;
    const name = `playground-swatches-${run}`;
    const files = [
      { path: "red/1.png", bytes: swatch },
      { path: "red/2.png", bytes: png(24, 24, () => [230, 30, 30]) },
      { path: "blue/1.png", bytes: halves },
    ];
    const { uploadDataset } = await callApi<{ uploadDataset: { version: { id: string } } }>(
      "mutation ($archive: Upload!, $input: DatasetInput!) { uploadDataset(archive: $archive, input: $input, generateEmbeddings: false) { version { id } } }",
      { archive: null, input: { name } },
      { archive: { name: "swatches.zip", type: "application/zip", bytes: await zipDatasetFiles(files) } },
    );

    // The picker lists the datasets there were when the page opened.
    await page.reload();
    await page.getByLabel("Dataset", { exact: true }).selectOption({ label: `admin/${name}` });
    expect(await page.getByLabel("Version", { exact: true }).inputValue()).toBe(uploadDataset.version.id);
    const grid = page.getByRole("grid", { name: `Images of ${name} v1` });
    await grid.getByRole("button", { name: "red/2.png, class red" }).click();
    await page.getByRole("img", { name: "The image to send: red/2.png" }).waitFor();
    const table = page.getByRole("table", { name: "Top labels" });
    await page.waitForFunction(() => document.querySelector("[aria-busy='true']") === null);

    const { datasetVersion } = await callApi<{
      datasetVersion: { samples: { edges: Array<{ node: { id: string; originalPath: string } }> } };
    }>(
      "query ($id: ID!) { datasetVersion(id: $id) { samples(first: 10) { edges { node { id originalPath } } } } }",
      {
        id: uploadDataset.version.id,
      },
    );
    const sampleId = datasetVersion.samples.edges.find((edge) => edge.node.originalPath === "red/2.png")!.node
      .id;
    const versionId = await page.getByLabel("Deployed model").inputValue();
    const { classifyImage } = await callApi<{ classifyImage: { predictions: Array<{ label: string }> } }>(
      "mutation ($id: ID!, $sampleId: ID!) { classifyImage(modelVersionId: $id, image: { sampleId: $sampleId }, topK: 3) { predictions { label } } }",
      { id: versionId, sampleId },
    );
    const rows = await table.locator("tbody tr").allInnerTexts();
    expect(rows.map((row) => row.split("\t")[1])).toEqual(
      classifyImage.predictions.map((prediction) => prediction.label),
    );
    await page
      .getByRole("img", { name: /^Probability of the top 3 labels: / })
      .locator("canvas")
      .waitFor();
    await screenshot(page, "playground-dataset-sample");
    expect(tab.pageErrors).toEqual([]);
  });

  it("shows a depth model's map beside the image with its colour scale from the API's min to max", async () => {
    const { page } = tab;
    const slug = `playground-depth-${run}`;
    const onnx = buildChannelMeanDepth({ width: 16, height: 16 });
    const versionId = await deployAndOpenInPlayground(page, slug, onnx, "DEPTH_ESTIMATION", "Depth");

    await dropFile(page, "ramp.png", "image/png", ramp);
    const map = page.getByRole("img", { name: /^Depth map, 24 × 24 pixels/ });
    await map.waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>(".depth-result img")].every(
        (image) => image.naturalWidth === 24,
      ),
    );

    const { estimateDepth } = await callApi<{ estimateDepth: { min: number; max: number } }>(
      "mutation ($id: ID!, $image: ImageInput!) { estimateDepth(modelVersionId: $id, image: $image) { min max } }",
      { id: versionId, image: { upload: null } },
      { "image.upload": pngFile(ramp) },
    );
    const { min, max } = estimateDepth;
    expect(max).toBeGreaterThan(min);
    const low = formatScaleValue(min, max - min);
    const high = formatScaleValue(max, max - min);
    expect(await page.getByText(/^Depth as the model output it/).innerText()).toBe(
      `Depth as the model output it, from ${low} (smallest) to ${high} (largest)`,
    );
    const ticks = await page
      .getByRole("list", { name: "Values along the scale" })
      .getByRole("listitem")
      .allInnerTexts();
    expect(ticks).toHaveLength(5);
    expect([ticks[0], ticks[4]]).toEqual([low, high]);
    expect(await page.getByRole("img", { name: /^Turbo colour scale/ }).getAttribute("aria-label")).toBe(
      `Turbo colour scale: dark blue is ${low}, green-yellow the middle, dark red ${high}`,
    );
    expect(
      await page.getByRole("link", { name: "Download the 16-bit depth PNG" }).getAttribute("href"),
    ).toMatch(/\/files\//);
    await screenshot(page, "playground-depth");
    expect(tab.pageErrors).toEqual([]);
  });

  it("draws a segmentation mask over the image in class colours, with each class's area", async () => {
    const { page } = tab;
    const slug = `playground-segmenter-${run}`;
    // Scores each pixel's red, green and blue: the red half is class 0, the blue half class 2.
    const onnx = buildPooledSegmenter([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    await deployAndOpenInPlayground(page, slug, onnx, "SEGMENTATION", "Segmentation");

    await dropFile(page, "halves.png", "image/png", halves);
    const table = page.getByRole("table", { name: "Area by class (2 present)" });
    await table.waitFor();
    const rows = await table.locator("tbody tr").allInnerTexts();
    expect(
      rows.map((row) =>
        row
          .split("\t")
          .slice(1)
          .map((cell) => cell.trim()),
      ),
    ).toEqual([
      ["class_0 #0", "288", "50.0%"],
      ["class_2 #2", "288", "50.0%"],
    ]);

    const overlay = page.getByRole("group", {
      name: /^Segmentation mask, 24 × 24 pixels: class_0 50.0%, class_2 50.0%/,
    });
    const canvas = overlay.locator("canvas");
    await canvas.waitFor();
    const pixel = (x: number, y: number) =>
      canvas.evaluate(
        (element: HTMLCanvasElement, [x, y]) => [
          ...element.getContext("2d")!.getImageData(x!, y!, 1, 1).data,
        ],
        [x, y],
      );
    await page.waitForFunction(() => {
      const element = document.querySelector<HTMLCanvasElement>(".overlay-stack canvas");
      return element !== null && element.getContext("2d")!.getImageData(0, 0, 1, 1).data[3] === 255;
    });
    expect(await pixel(3, 5)).toEqual([...classColour(0), 255]);
    expect(await pixel(20, 5)).toEqual([...classColour(2), 255]);

    await page.getByRole("checkbox", { name: "Show class_0" }).uncheck();
    await page.waitForFunction(
      () =>
        document
          .querySelector<HTMLCanvasElement>(".overlay-stack canvas")!
          .getContext("2d")!
          .getImageData(3, 5, 1, 1).data[3] === 0,
    );
    expect(await pixel(20, 5)).toEqual([...classColour(2), 255]);
    await page.getByRole("checkbox", { name: "Show class_0" }).check();
    await page.getByLabel("Mask opacity").fill("0.8");
    expect(await canvas.evaluate((element) => getComputedStyle(element).opacity)).toBe("0.8");
    await screenshot(page, "playground-segmentation");
    expect(tab.pageErrors).toEqual([]);
  });

  it("lists a stored training pair with the counts and exports the pairs as a ZIP download", async () => {
    const { page } = tab;
    const instruction = `turn the swatch blue ${run}`;
    const sessionId = `e2e-${run}`;
    await callApi(
      "mutation ($original: Upload!, $transformed: Upload!, $instruction: String!, $sessionId: String) " +
        "{ storeTrainingPair(original: $original, transformed: $transformed, instruction: $instruction, sessionId: $sessionId) { id } }",
      { original: null, transformed: null, instruction, sessionId },
      { original: pngFile(swatch), transformed: pngFile(halves) },
    );
    const navigation = page.getByRole("navigation", { name: "Main" });
    expect(await navigation.getByRole("link", { name: "Collected pairs" }).isVisible()).toBe(false);
    await navigation.getByRole("button", { name: /Admin & data/ }).click();
    await navigation.getByRole("link", { name: "Collected pairs" }).click();
    await page.getByRole("heading", { level: 1, name: "Collected pairs" }).waitFor();
    const row = page.getByRole("row", { name: new RegExp(instruction) });
    await row.waitFor();
    expect(await row.innerText()).toContain("PNG · 24 × 24");
    const pairs = page.getByRole("term").filter({ hasText: /^Pairs$/ });
    expect(Number(await pairs.locator("xpath=following-sibling::dd[1]").innerText())).toBeGreaterThanOrEqual(
      1,
    );

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export as ZIP" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("training-pairs.zip");
    const zip = await readFile((await download.path())!);
    expect(zip.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(zip.includes(Buffer.from("training-log.jsonl"))).toBe(true);
    expect(zip.includes(Buffer.from(`session-${sessionId}/`))).toBe(true);
    await screenshot(page, "pairs");
    expect(tab.pageErrors).toEqual([]);
  });

  it("shows a request on the pairs page that stores a pair when run as written", async () => {
    const { page } = tab;
    await page.getByText("Example request").click();
    const example = await page.getByText(/^curl /).innerText();
    const folder = await mkdtemp(path.join(tmpdir(), "tessera-pair-example-"));
    await writeFile(path.join(folder, "before.png"), swatch);
    await writeFile(path.join(folder, "after.png"), halves);
    const { stdout } = await runCommand("bash", ["-c", example], {
      cwd: folder,
      env: { ...process.env, TOKEN: e2e.adminToken },
    });
    await rm(folder, { recursive: true, force: true });
    expect(JSON.parse(stdout)).toEqual({ data: { storeTrainingPair: { id: expect.any(String) } } });

    await page.reload();
    const row = page.getByRole("row", { name: /make the sky purple/ }).first();
    await row.waitFor();
    expect(await row.innerText()).toContain("ada@example.com");
    expect(tab.pageErrors).toEqual([]);
  });
});
