import { readFile } from "node:fs/promises";
import { crc32, deflateSync } from "node:zlib";
import { buildTinyCnn } from "@tessera/inference/onnx";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildChannelMeanDepth, buildPooledSegmenter } from "../../inference/test/tasks/support/task-models";
import { classColour } from "../src/playground/segment-colours";
import { formatScaleValue } from "../src/playground/turbo-colour-scale";
import { dropFile, launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";

const e2e = inject("e2e");

const run = Date.now().toString(36);
const labels = ["red", "green", "blue"];

type Rgb = [number, number, number];

/** An 8-bit RGB PNG painted by `paint`, encoded here so the test needs no image library. */
function png(width: number, height: number, paint: (x: number, y: number) => Rgb): Buffer {
  const stride = 1 + width * 3;
  const rows = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(paint(x, y), y * stride + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const framing = Buffer.alloc(8);
    framing.writeUInt32BE(data.length, 0);
    framing.writeUInt32BE(crc32(body), 4);
    return Buffer.concat([framing.subarray(0, 4), body, framing.subarray(4)]);
  };
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const swatch = png(24, 24, (x, y) => (x === y ? [255, 100, 90] : [200, 40, 30]));
const ramp = png(24, 24, (x) => [x * 10, x * 10, x * 10]);
const halves = png(24, 24, (x) => (x < 12 ? [220, 20, 20] : [20, 20, 220]));

/** A GraphQL multipart request to the public API as the admin, files in the order of `files`. */
async function callApi<T>(
  query: string,
  variables: Record<string, unknown>,
  files: Record<string, Buffer>,
): Promise<T> {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables }));
  const paths = Object.keys(files);
  form.append(
    "map",
    JSON.stringify(Object.fromEntries(paths.map((path, index) => [index, [`variables.${path}`]]))),
  );
  paths.forEach((path, index) =>
    form.append(
      String(index),
      new Blob([new Uint8Array(files[path]!)], { type: "image/png" }),
      `${index}.png`,
    ),
  );
  const response = await fetch(new URL("/graphql", e2e.url), {
    method: "POST",
    headers: { authorization: `Bearer ${e2e.adminToken}`, "apollo-require-preflight": "true" },
    body: form,
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

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
      { "image.upload": swatch },
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
      { "image.upload": ramp },
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
      { original: swatch, transformed: halves },
    );
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pairs" }).click();
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
});
